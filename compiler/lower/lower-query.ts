/**
 * QueryIR → SQL statement and result plan. The terminal decides the outer
 * form: the rows themselves; `COUNT(*)`, `EXISTS (…)` or an aggregate
 * (`COALESCE(SUM(x), 0)`, so the sum of nothing is 0), over the query
 * directly when that counts the same rows, otherwise over it as a derived
 * table; or one bulk DELETE/UPDATE, which addresses its table by name and
 * falls back to `pk IN (SELECT …)` when its filters need joins. Finally the
 * null-semantics pass settles every JavaScript negation.
 */
import { TranslationError } from '../errors.js'
import type { ResultPlan } from '../query-spec.js'
import { pkColumnsOf } from '../schema.js'
import type { EntityExpr, Expr, QueryIR } from '../translate/ir.js'
import { lowerValue, type LCtx } from './context.js'
import { bound } from './lower-expr.js'
import { entityPk } from './entities.js'
import { settleNulls } from './null-semantics.js'
import { NeedsSubquery, StatementBuilder } from './scope.js'
import { baseScope, fromOf, querySelect } from './select.js'
import { NULL_SQL, emptySelect, minMaxSql, sqlLogic, sumAvgSql, type SqlExpr, type SqlSelect, type SqlStatement } from './sql.js'

export interface Lowered {
  readonly stmt: SqlStatement
  readonly result: ResultPlan
  readonly tables: readonly string[]
}

const COUNT_ALL: SqlExpr = { k: 'agg', fn: 'count', arg: null, distinct: false, sep: null, nullable: false }

function simple(q: QueryIR): boolean {
  return !q.grouped && !q.distinct && !q.limit && !q.offset && q.random === null
}

/** `SELECT <item> FROM (<inner>) q`, the inner select's columns named c1, c2 … */
function over(inner: SqlSelect, item: (cols: SqlExpr[]) => SqlExpr, stmt: StatementBuilder): SqlSelect {
  const alias = stmt.alias('q')
  const named = inner.items.map((it, i) => ({ ...it, alias: `c${i + 1}` }))
  const cols: SqlExpr[] = named.map((it) => ({ k: 'col', alias, name: it.alias, nullable: it.expr.nullable }))
  const keepOrder = inner.limit !== null || inner.offset !== null
  return {
    ...emptySelect(),
    items: [{ expr: item(cols), alias: null }],
    from: [{ k: 'derived', query: { ...inner, items: named, orderBy: keepOrder ? inner.orderBy : [] }, alias }],
  }
}

function aggregateOf(fn: 'sum' | 'avg' | 'min' | 'max', arg: SqlExpr, decimal: boolean): SqlExpr {
  return fn === 'min' || fn === 'max' ? minMaxSql(fn, arg, decimal, false, true) : sumAvgSql(fn, arg, decimal, false)
}

function aggType(fn: 'sum' | 'avg' | 'min' | 'max', e: Expr): ResultPlan {
  const t = fn === 'avg' ? 'number' : e.type === 'null' || e.type === 'unknown' ? 'unknown' : e.type
  return { kind: 'scalar', shape: { kind: 'value', type: t } }
}

export function lowerQuery(q: QueryIR): Lowered {
  const stmt = new StatementBuilder()
  const t = q.terminal
  let out: { stmt: SqlStatement; result: ResultPlan }
  switch (t.kind) {
    case 'rows': {
      const { select, shape } = querySelect(q, stmt)
      out = { stmt: select, result: { kind: 'rows', shape } }
      break
    }
    case 'count': {
      const { select } = querySelect(q, stmt)
      const sql = simple(q) ? { ...select, items: [{ expr: COUNT_ALL, alias: null }], orderBy: [], lock: null } : over({ ...select, lock: null }, () => COUNT_ALL, stmt)
      out = { stmt: sql, result: { kind: 'scalar', shape: { kind: 'value', type: 'count' } } }
      break
    }
    case 'exists': {
      const { select } = querySelect(q, stmt)
      const inner: SqlSelect = { ...select, items: q.grouped ? select.items : [{ expr: { k: 'num', value: 1, nullable: false }, alias: null }], orderBy: select.limit !== null || select.offset !== null ? select.orderBy : [], lock: null }
      out = { stmt: { ...emptySelect(), items: [{ expr: { k: 'exists', query: inner, negated: false, nullable: false }, alias: null }] }, result: { kind: 'scalar', shape: { kind: 'value', type: 'boolean' } } }
      break
    }
    case 'aggregate': {
      const { select, lc } = querySelect(q, stmt)
      const value = lowerValue(lc, t.expr)
      const sql = simple(q) && !q.grouped
        ? { ...select, items: [{ expr: aggregateOf(t.fn, value, t.expr.type === 'decimal'), alias: null }], orderBy: [], lock: null, from: fromOf(lc) }
        : over({ ...select, items: [{ expr: value, alias: null }], lock: null, from: fromOf(lc) }, (cols) => aggregateOf(t.fn, cols[0]!, t.expr.type === 'decimal'), stmt)
      out = { stmt: sql, result: aggType(t.fn, t.expr) }
      break
    }
    case 'delete':
    case 'update':
      out = { stmt: dml(q, stmt), result: { kind: 'affected' } }
      break
  }
  return { stmt: settleNulls(out.stmt), result: out.result, tables: [...stmt.entities] }
}

function sets(lc: LCtx, q: QueryIR): { column: string; value: SqlExpr }[] {
  if (q.terminal.kind !== 'update') return []
  return q.terminal.sets.flatMap(({ attr, value }) => {
    if (value.kind === 'entityRef' || value.kind === 'entityParam') {
      const pk = entityPk(lc, value as EntityExpr)
      return attr.columns.map((c, i) => ({ column: c.name, value: pk[i]! }))
    }
    const e = value as Expr
    if (e.kind === 'const' && e.value === null) return attr.columns.map((c) => ({ column: c.name, value: NULL_SQL }))
    return [{ column: attr.columns[0]!.name, value: e.kind === 'param' || e.kind === 'const' ? bound(e, true) : lowerValue(lc, e) }]
  })
}

/** One DELETE or UPDATE: direct when the filters need no join, else by primary key from a subquery. */
function dml(q: QueryIR, stmt: StatementBuilder): SqlStatement {
  const source = q.sources[0]!
  const table = source.entity.table
  stmt.aliases.add(table)
  if (!q.limit && !q.offset && q.random === null) {
    try {
      const { lc, where } = baseScope(q, stmt, table)
      const w = where.length === 0 ? null : sqlLogic('and', where)
      return q.terminal.kind === 'delete' ? { k: 'delete', table, where: w } : { k: 'update', table, sets: sets(lc, q), where: w }
    } catch (e) {
      if (!(e instanceof NeedsSubquery)) throw e
    }
    stmt.aliases.clear()
    stmt.aliases.add(table)
  }
  const { select, lc } = querySelect({ ...q, terminal: { kind: 'rows' } }, stmt)
  const inner: SqlSelect = { ...select, items: lc.scope.varPk(source).map((expr) => ({ expr, alias: null })), from: fromOf(lc), lock: null }
  const pkCols: SqlExpr[] = pkColumnsOf(source.entity).names.map((name): SqlExpr => ({ k: 'col', alias: table, name, nullable: false }))
  const cond: SqlExpr = { k: 'inSelect', args: pkCols, query: inner, nullable: false }
  if (q.terminal.kind === 'delete') return { k: 'delete', table, where: cond }
  try {
    const direct = baseScope({ ...q, where: [], flat: [] }, stmt, table)
    return { k: 'update', table, sets: sets(direct.lc, q), where: cond }
  } catch (e) {
    if (e instanceof NeedsSubquery) throw new TranslationError('The new values of a bulk update can read only the attributes of the updated entity, not navigate to others.')
    throw e
  }
}
