/**
 * SQL tree → text, for any flavor. One generic renderer; everything that
 * differs between databases comes from the flavor: quoting, placeholders,
 * the function table, casts, LIMIT syntax, JSON access, and capabilities
 * such as case-sensitive LIKE or default NULL ordering. Parentheses follow
 * operator precedence, so the text stays readable.
 */
import type { ParamSlot } from '../query-spec.js'
import type { ScalarType } from '../schema.js'
import type { SqlFlavor, SqlWriter } from '../sql-flavor.js'
import { assertNever } from '../translate/ir.js'
import type { FromItem, SqlExpr, SqlSelect, SqlStatement } from '../lower/sql.js'
import { havingByAlias } from './having-alias.js'
import { renderMatch } from './match.js'
import { SlotWriter } from './placeholders.js'

/** Precedence levels: a child binding looser than its position needs parentheses. */
const P = { or: 1, and: 2, not: 3, cmp: 4, add: 5, mul: 6, unary: 7, atom: 9 } as const

interface Out {
  readonly sql: string
  readonly prec: number
}

function atom(sql: string): Out {
  return { sql, prec: P.atom }
}

export class Renderer implements SqlWriter {
  readonly slots = new SlotWriter()
  constructor(readonly flavor: SqlFlavor) {}

  bind(value: unknown, type: ScalarType | null): string {
    return this.slots.marker({ from: 'const', value, type })
  }
  literal(value: string): string {
    return this.flavor.stringLiteral(value)
  }
  param(slot: ParamSlot, cast: ScalarType | null): string {
    const to = cast === null ? null : this.flavor.paramCast(cast)
    const m = this.slots.marker(slot, to ?? '')
    return to === null ? m : `CAST(${m} AS ${to})`
  }
  id(name: string): string {
    return this.flavor.quoteId(name)
  }

  /** Render `e`, parenthesized when it binds looser than `min`. */
  at(e: SqlExpr, min: number): string {
    const o = this.expr(e)
    return o.prec < min ? `(${o.sql})` : o.sql
  }

  expr(e: SqlExpr): Out {
    const f = this.flavor
    switch (e.k) {
      case 'col': return atom(`${this.id(e.alias)}.${this.id(e.name)}`)
      case 'param': return atom(this.param(e.slot, e.cast))
      case 'kw': return atom(e.sql)
      case 'num': return atom(String(e.value))
      case 'str': return atom(f.stringLiteral(e.value))
      case 'bin': {
        const p = e.op === '+' || e.op === '-' ? P.add : P.mul
        return { sql: `${this.at(e.l, p)} ${e.op} ${this.at(e.r, p + 1)}`, prec: p }
      }
      case 'neg': {
        const arg = this.at(e.arg, P.unary)
        return { sql: arg.startsWith('-') ? `-(${arg})` : `-${arg}`, prec: P.unary }
      }
      case 'cmp': return { sql: `${this.at(e.l, P.add)} ${e.op} ${this.at(e.r, P.add)}`, prec: P.cmp }
      case 'and':
      case 'or': {
        const p = e.k === 'and' ? P.and : P.or
        return { sql: e.items.map((i) => this.at(i, p + 1)).join(e.k === 'and' ? ' AND ' : ' OR '), prec: p }
      }
      case 'not': return { sql: `NOT ${this.at(e.arg, P.cmp)}`, prec: P.not }
      case 'isNull': return { sql: `${this.at(e.arg, P.add)} IS ${e.negated ? 'NOT ' : ''}NULL`, prec: P.cmp }
      case 'fn': return atom(f.functions[e.name](e.args.map((a) => this.at(a, P.unary)), this))
      case 'cast': return atom(`CAST(${this.expr(e.arg).sql} AS ${f.castTypes[e.to]})`)
      case 'case': {
        const whens = e.whens.map((w) => ` WHEN ${this.expr(w.when).sql} THEN ${this.expr(w.then).sql}`).join('')
        return atom(`CASE${whens} ELSE ${this.expr(e.else).sql} END`)
      }
      case 'in': return { sql: `${this.at(e.arg, P.add)} ${e.negated ? 'NOT IN' : 'IN'} (${e.items.map((i) => this.expr(i).sql).join(', ')})`, prec: P.cmp }
      case 'inParam': {
        const test = f.inList(this.at(e.arg, P.add), this.param({ ...e.slot, list: f.listParam }, null), e.type)
        return e.negated ? { sql: `NOT (${test})`, prec: P.not } : { sql: test, prec: P.cmp }
      }
      case 'match': return renderMatch(this, e)
      case 'exists': return atom(`${e.negated ? 'NOT ' : ''}EXISTS (${this.select(e.query, true)})`)
      case 'subquery': return atom(`(${this.select(e.query)})`)
      case 'inSelect': {
        const args = e.args.map((a) => this.expr(a).sql)
        const left = args.length === 1 ? args[0]! : `(${args.join(', ')})`
        const inner = this.select(e.query)
        const query = f.caps.dmlSubqueryNeedsDerived ? `SELECT * FROM (${inner}) ${this.id('t')}` : inner
        return { sql: `${left} IN (${query})`, prec: P.cmp }
      }
      case 'agg': return atom(this.agg(e))
      case 'json': return atom(f.json(this.at(e.arg, P.atom), e.path, e.mode, this))
      case 'raw': return atom(`(${e.parts.map((p, i) => p + (i < e.args.length ? this.expr(e.args[i]!).sql : '')).join('')})`)
      case 'asValue': return this.expr(e.arg)
      case 'ref': return atom(this.id(e.name))
      default: return assertNever(e)
    }
  }

  private agg(e: Extract<SqlExpr, { k: 'agg' }>): string {
    const arg = e.arg === null ? '*' : this.expr(e.arg).sql
    if (e.fn === 'groupConcat') return this.flavor.groupConcat(arg, e.sep ?? ',', e.distinct)
    if (e.fn === 'decSum' || e.fn === 'decAvg') return this.flavor.functions[e.fn]([`${e.distinct ? 'DISTINCT ' : ''}${arg}`], this)
    const name = e.fn.toUpperCase()
    return `${name}(${e.distinct ? 'DISTINCT ' : ''}${arg})`
  }

  private from(f: FromItem): string {
    if (f.k === 'derived') return `(${this.select(f.query, true)}) ${this.id(f.alias)}`
    const joins = f.joins.map((j) => ` ${j.kind === 'LEFT' ? 'LEFT JOIN' : 'JOIN'} ${this.id(j.table)} ${this.id(j.alias)} ON ${this.expr(j.on).sql}`).join('')
    return `${this.id(f.table)} ${this.id(f.alias)}${joins}`
  }

  private orderKey(o: SqlSelect['orderBy'][number]): string {
    const sql = this.at(o.expr, P.add)
    const dir = o.desc ? ' DESC' : ''
    const caps = this.flavor.caps
    if (!o.expr.nullable || caps.nullsSortLow) return sql + dir
    if (caps.nullsOrdering) return `${sql}${dir} NULLS ${o.desc ? 'LAST' : 'FIRST'}`
    return `${sql} IS NULL${o.desc ? '' : ' DESC'}, ${sql}${dir}`
  }

  /** A SELECT; `mayAddItems` when nothing reads its columns by position (a derived table, EXISTS). */
  select(query: SqlSelect, mayAddItems = false): string {
    const caps = this.flavor.caps
    const s = caps.havingAlias ? havingByAlias(query, mayAddItems) : query
    const items = s.items.map((i) => this.expr(i.expr).sql + (i.alias === null ? '' : ` AS ${this.id(i.alias)}`)).join(', ')
    let sql = `SELECT ${s.distinct ? 'DISTINCT ' : ''}${items}`
    if (s.from.length > 0) sql += ` FROM ${s.from.map((f) => this.from(f)).join(', ')}`
    if (s.where !== null) sql += ` WHERE ${this.expr(s.where).sql}`
    if (s.groupBy.length > 0) sql += ` GROUP BY ${s.groupBy.map((g) => this.expr(g).sql).join(', ')}`
    if (s.having !== null) sql += ` HAVING ${this.expr(s.having).sql}`
    if (s.orderBy.length > 0) sql += ` ORDER BY ${s.orderBy.map((o) => this.orderKey(o)).join(', ')}`
    if (s.limit !== null || s.offset !== null) {
      sql += this.flavor.limitOffset(s.limit === null ? null : this.expr(s.limit).sql, s.offset === null ? null : this.expr(s.offset).sql)
    }
    if (s.lock !== null && caps.forUpdate) {
      sql += ' FOR UPDATE'
      if (caps.forUpdateOf && s.lock.of.length > 0) sql += ` OF ${s.lock.of.map((a) => this.id(a)).join(', ')}`
      if (s.lock.nowait && caps.forUpdateNowait) sql += ' NOWAIT'
      else if (s.lock.skipLocked && caps.forUpdateSkipLocked) sql += ' SKIP LOCKED'
    }
    return sql
  }

  statement(stmt: SqlStatement): string {
    switch (stmt.k) {
      case 'select': return this.select(stmt)
      case 'delete': return `DELETE FROM ${this.id(stmt.table)}${stmt.where === null ? '' : ` WHERE ${this.expr(stmt.where).sql}`}`
      case 'update': {
        const sets = stmt.sets.map((s) => `${this.id(s.column)} = ${this.expr(s.value).sql}`).join(', ')
        return `UPDATE ${this.id(stmt.table)} SET ${sets}${stmt.where === null ? '' : ` WHERE ${this.expr(stmt.where).sql}`}`
      }
    }
  }
}

/** Render a statement for a flavor: its text and its slots in placeholder order. */
export function render(stmt: SqlStatement, flavor: SqlFlavor): { sql: string; slots: ParamSlot[] } {
  const r = new Renderer(flavor)
  return r.slots.finalize(r.statement(stmt), flavor)
}
