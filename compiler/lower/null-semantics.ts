/**
 * The null-semantics pass. In: a SQL statement whose JavaScript negations
 * are still pending (`not` with `js: true`) and whose conditions may be used
 * as values (`asValue`). Out: the same statement in plain SQL where
 *
 * - a negation is pushed down to the leaves, and every leaf that SQL would
 *   make NULL is completed with `OR x IS NULL`: `!(p.age > 18)` becomes
 *   `p.age <= ? OR p.age IS NULL` (#12), `p.email !== ?` becomes
 *   `p.email <> ? OR p.email IS NULL`; `NOT IN` gets the same (#15);
 * - a condition used as a value that could be NULL becomes
 *   `COALESCE(cond, FALSE)`, since JavaScript never yields null there.
 *
 * Conditions in WHERE need no completion on their positive side: NULL and
 * FALSE both reject the row, so `p.age > ?` stays as it is and an index on
 * `age` still serves it.
 */
import { FALSE_SQL, TRUE_SQL, isNullSql, sqlLogic, type CmpOp, type FromItem, type SqlExpr, type SqlSelect, type SqlStatement } from './sql.js'

const FLIP: Readonly<Record<CmpOp, CmpOp>> = { '=': '<>', '<>': '=', '<': '>=', '<=': '>', '>': '<=', '>=': '<' }

function orNulls(cond: SqlExpr, operands: readonly SqlExpr[]): SqlExpr {
  const extra = operands.filter((o) => o.nullable).map((o) => isNullSql(o))
  return extra.length === 0 ? cond : sqlLogic('or', [cond, ...extra])
}

/** SQL true exactly when JavaScript's `!e` is true. */
function negate(e0: SqlExpr): SqlExpr {
  const e = pos(e0)
  switch (e.k) {
    case 'cmp': return orNulls({ ...e, op: FLIP[e.op], nullable: e.nullable }, [e.l, e.r])
    case 'and': return sqlLogic('or', e.items.map(negate))
    case 'or': return sqlLogic('and', e.items.map(negate))
    case 'not': return e.arg
    case 'isNull': return { ...e, negated: !e.negated }
    case 'in': return e.negated ? { ...e, negated: false } : orNulls({ ...e, negated: true }, [e.arg, ...e.items])
    // The bound list never holds NULL (it is left out when bound): only a null `arg` makes the test NULL.
    case 'inParam': return e.negated ? { ...e, negated: false } : orNulls({ ...e, negated: true }, [e.arg])
    case 'match': return e.negated ? { ...e, negated: false } : orNulls({ ...e, negated: true }, [e.arg, e.needle])
    case 'exists': return { ...e, negated: !e.negated }
    case 'kw':
      if (e.sql === 'TRUE') return FALSE_SQL
      if (e.sql === 'FALSE') return TRUE_SQL
      return TRUE_SQL
    case 'case': return { ...e, whens: e.whens.map((w) => ({ when: w.when, then: negate(w.then) })), else: negate(e.else), nullable: false }
    case 'fn':
      if (e.name === 'isNotDistinct') return { ...e, name: 'isDistinct' }
      if (e.name === 'isDistinct') return { ...e, name: 'isNotDistinct' }
      return plainNot(e)
    default: return plainNot(e)
  }
}

function plainNot(e: SqlExpr): SqlExpr {
  const not: SqlExpr = { k: 'not', arg: e, js: false, nullable: e.nullable }
  return e.nullable ? sqlLogic('or', [not, isNullSql(e)]) : not
}

function same<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.every((x, i) => x === b[i])
}

function list(items: readonly SqlExpr[]): readonly SqlExpr[] {
  const out = items.map(pos)
  return same(out, items) ? items : out
}

/** Rewrite the pending negations inside `e`, keeping its meaning (unchanged parts are shared). */
export function pos(e: SqlExpr): SqlExpr {
  switch (e.k) {
    case 'col': case 'param': case 'kw': case 'num': case 'str': case 'ref': return e
    case 'not': {
      if (e.js) return negate(e.arg)
      const arg = pos(e.arg)
      return arg === e.arg ? e : { ...e, arg }
    }
    case 'asValue': {
      const arg = pos(e.arg)
      return arg.nullable ? { k: 'fn', name: 'coalesce', args: [arg, FALSE_SQL], nullable: false } : arg
    }
    case 'bin': case 'cmp': {
      const l = pos(e.l)
      const r = pos(e.r)
      return l === e.l && r === e.r ? e : { ...e, l, r }
    }
    case 'neg': case 'isNull': case 'cast': case 'json': {
      const arg = pos(e.arg)
      return arg === e.arg ? e : { ...e, arg }
    }
    case 'and': case 'or': {
      const items = list(e.items)
      return items === e.items ? e : sqlLogic(e.k, items)
    }
    case 'fn': case 'raw': {
      const args = list(e.args)
      return args === e.args ? e : { ...e, args }
    }
    case 'case': return { ...e, whens: e.whens.map((w) => ({ when: pos(w.when), then: pos(w.then) })), else: pos(e.else) }
    case 'in': return { ...e, arg: pos(e.arg), items: list(e.items) }
    case 'inParam': {
      const arg = pos(e.arg)
      return arg === e.arg ? e : { ...e, arg }
    }
    case 'match': return { ...e, arg: pos(e.arg), needle: pos(e.needle) }
    case 'exists': case 'subquery': case 'inSelect': return { ...e, query: settleSelect(e.query) }
    case 'agg': return e.arg === null ? e : { ...e, arg: pos(e.arg) }
  }
}

function opt(e: SqlExpr | null): SqlExpr | null {
  return e === null ? null : pos(e)
}

function settleFrom(f: FromItem): FromItem {
  if (f.k === 'derived') return { ...f, query: settleSelect(f.query) }
  return { ...f, joins: f.joins.map((j) => ({ ...j, on: pos(j.on) })) }
}

export function settleSelect(s: SqlSelect): SqlSelect {
  return {
    ...s,
    items: s.items.map((i) => ({ ...i, expr: pos(i.expr) })),
    from: s.from.map(settleFrom),
    where: opt(s.where),
    groupBy: s.groupBy.map(pos),
    having: opt(s.having),
    orderBy: s.orderBy.map((o) => ({ ...o, expr: pos(o.expr) })),
  }
}

/** Apply the pass to a whole statement. */
export function settleNulls(stmt: SqlStatement): SqlStatement {
  switch (stmt.k) {
    case 'select': return settleSelect(stmt)
    case 'delete': return { ...stmt, where: opt(stmt.where) }
    case 'update': return { ...stmt, sets: stmt.sets.map((s) => ({ ...s, value: pos(s.value) })), where: opt(stmt.where) }
  }
}
