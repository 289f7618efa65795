/**
 * The SELECT of a query: FROM its sources (and the collections `map`
 * flattened into the rows), WHERE its filters, the columns of its result
 * value with the shape that reads them back (and, after them, the columns of
 * the to-one objects prefetched through joins), GROUP BY the plain parts of an
 * aggregating map, HAVING, ORDER BY (explicit, primary key, or random),
 * LIMIT/OFFSET as bound slots, and FOR UPDATE.
 */
import type { ValueShape } from '../query-spec.js'
import type { Coll, EntityRef, Expr, OrderKey, QueryIR, Value } from '../translate/ir.js'
import { lowerPred, lowerValue, type LCtx } from './context.js'
import { discriminatorFilter } from './discriminator.js'
import { entityRowAttrs } from '../dml.js'
import { entityPk } from './entities.js'
import { ownerTests } from './collections.js'
import { LOWERERS } from './lower-expr.js'
import { Scope, type StatementBuilder } from './scope.js'
import { decKey, emptySelect, sqlLogic, type FromItem, type OrderItem, type SqlExpr, type SqlSelect } from './sql.js'

/** The scope with the query's sources and flattened collections, and the WHERE conditions. */
export function baseScope(q: QueryIR, stmt: StatementBuilder, dmlTable: string | null): { lc: LCtx; where: SqlExpr[] } {
  const lc: LCtx = { scope: new Scope(stmt, null, dmlTable), lower: LOWERERS }
  const where: SqlExpr[] = []
  for (const v of q.sources) {
    const alias = lc.scope.addSource(v)
    const d = discriminatorFilter(v.entity, alias)
    if (d !== null) where.push(d)
  }
  for (const c of q.flat) flatten(lc, c)
  for (const w of q.where) where.push(lowerPred(lc, w))
  return { lc, where }
}

function col(alias: string, name: string, nullable: boolean): SqlExpr {
  return { k: 'col', alias, name, nullable }
}

/** Join the elements of a collection into the rows (`map(p => p.cars)`). */
function flatten(lc: LCtx, coll: Coll): void {
  const owner = coll.owner
  if (owner === null) {
    lc.scope.addSource(coll.elem)
    return
  }
  const ownerPk = entityPk(lc, owner.from)
  const near = (ownerPk[0] as Extract<SqlExpr, { k: 'col' }>).alias
  const on = (alias: string): SqlExpr => sqlLogic('and', ownerTests(owner.attr, alias, ownerPk, false))
  if (owner.attr.relation === 'toMany') {
    lc.scope.addJoinedVar(coll.elem, near, 'INNER', on)
    return
  }
  const link = owner.attr.link!
  const linkAlias = lc.scope.joinTable(link.table, link.table, near, on)
  lc.scope.addLinkVar(coll.elem, linkAlias, link.targetColumns.map((c) => c.name))
  lc.scope.varAlias(coll.elem) // the element's table, joined now: its rows are the query's
}

function valueType(e: Expr): Extract<ValueShape, { kind: 'value' }>['type'] {
  if ((e.kind === 'agg' || e.kind === 'collAgg') && (e.fn === 'count' || e.fn === 'size')) return 'count'
  if (e.kind === 'json') return 'json'
  return e.type === 'null' || e.type === 'unknown' ? 'unknown' : e.type
}

/** What a value's columns are and the shape that reads them; `names` holds the object key each scalar column is read into, if any. */
interface Items {
  items: SqlExpr[]
  names: (string | null)[]
  shape: ValueShape
}

/** The columns of a result value and the shape that reads them. */
export function valueItems(lc: LCtx, v: Value): Items {
  switch (v.kind) {
    case 'scalar': {
      const e = v.expr
      const sql: SqlExpr = e.kind === 'json' ? { k: 'json', arg: lowerValue(lc, e.arg), path: e.path, mode: 'json', nullable: true } : lowerValue(lc, e)
      return { items: [sql], names: [null], shape: { kind: 'value', type: valueType(e) } }
    }
    case 'entity': {
      const ref = v.ref
      if (ref.kind !== 'entityRef') throw new Error('internal: an entity param cannot be selected')
      const at = lc.scope.pathAlias(ref.base, ref.path)
      const attrs = entityRowAttrs(ref.entity)
      const items: SqlExpr[] = []
      for (const a of attrs) for (const c of a.columns) items.push(col(at.alias, c.name, at.nullable || c.nullable))
      const disc = ref.entity.root.discriminator
      if (disc !== null) items.push(col(at.alias, disc, at.nullable))
      return { items, names: items.map(() => null), shape: { kind: 'entity', entity: ref.entity.name, attrs: attrs.map((a) => a.name), discriminator: disc !== null } }
    }
    case 'tuple':
    case 'object': {
      const parts = v.items.map((i) => valueItems(lc, i))
      const items = parts.flatMap((p) => p.items)
      const names = parts.flatMap((p, i) => (v.kind === 'object' && p.shape.kind === 'value' ? [v.keys[i]!] : p.names))
      const shapes = parts.map((p) => p.shape)
      return { items, names, shape: v.kind === 'tuple' ? { kind: 'tuple', items: shapes } : { kind: 'object', keys: v.keys, items: shapes } }
    }
  }
}

/** The value's columns, then those of each object loaded beside it; the rows then read as `[value, …loaded]`. */
function withLoads(lc: LCtx, main: Items, loads: readonly EntityRef[]): Items {
  if (loads.length === 0) return main
  const parts = loads.map((ref) => valueItems(lc, { kind: 'entity', ref }))
  return {
    items: [...main.items, ...parts.flatMap((p) => p.items)],
    names: [...main.names, ...parts.flatMap((p) => p.names)],
    shape: { kind: 'tuple', items: [main.shape, ...parts.map((p) => p.shape)] },
  }
}

export function hasAggSql(e: SqlExpr): boolean {
  switch (e.k) {
    case 'agg': return true
    case 'col': case 'param': case 'kw': case 'num': case 'str': case 'ref': case 'exists': case 'subquery': case 'inSelect': return false
    case 'bin': case 'cmp': return hasAggSql(e.l) || hasAggSql(e.r)
    case 'neg': case 'not': case 'isNull': case 'cast': case 'json': case 'asValue': case 'inParam': return hasAggSql(e.arg)
    case 'and': case 'or': return e.items.some(hasAggSql)
    case 'fn': case 'raw': return e.args.some(hasAggSql)
    case 'case': return e.whens.some((w) => hasAggSql(w.when) || hasAggSql(w.then)) || hasAggSql(e.else)
    case 'in': return hasAggSql(e.arg) || e.items.some(hasAggSql)
    case 'match': return hasAggSql(e.arg) || hasAggSql(e.needle)
  }
}

function orderItems(lc: LCtx, keys: readonly OrderKey[]): OrderItem[] {
  return keys.flatMap((k) => {
    const v = k.value
    // Decimals order as numbers on every database (canonical text on SQLite is ordered through its key).
    const exprs = v.kind === 'entityRef' || v.kind === 'entityParam' ? entityPk(lc, v) : [v.type === 'decimal' ? decKey(lowerValue(lc, v)) : lowerValue(lc, v)]
    return exprs.map((expr) => ({ expr, desc: k.desc }))
  })
}

export function fromOf(lc: LCtx): FromItem[] {
  return lc.scope.items.map((it) => ({ k: 'table', table: it.table, alias: it.alias, joins: it.joins }))
}

/** The full SELECT of a query returning its value (before any terminal wraps it). */
export function querySelect(q: QueryIR, stmt: StatementBuilder): { select: SqlSelect; shape: ValueShape; lc: LCtx } {
  const { lc, where } = baseScope(q, stmt, null)
  const { items, names, shape } = withLoads(lc, valueItems(lc, q.value), q.loads)
  const having = q.having.map((h) => lowerPred(lc, h))
  const groupBy = q.grouped ? items.filter((i) => !hasAggSql(i)) : []
  let orderBy: OrderItem[] = []
  if (q.random !== null) orderBy = [{ expr: { k: 'fn', name: 'random', args: [], nullable: false }, desc: false }]
  else if (q.order !== null) orderBy = orderItems(lc, q.order)
  else if (q.defaultOrder) orderBy = defaultOrder(q, lc, items)
  const limit: SqlExpr | null = q.random !== null
    ? { k: 'param', slot: { from: 'random' }, cast: null, nullable: false }
    : q.limit ? { k: 'param', slot: { from: 'limit' }, cast: null, nullable: false } : null
  const offset: SqlExpr | null = q.random === null && q.offset ? { k: 'param', slot: { from: 'offset' }, cast: null, nullable: false } : null
  const select: SqlSelect = {
    ...emptySelect(),
    distinct: q.distinct,
    items: items.map((expr, i) => (names[i] == null ? { expr, alias: null } : { expr, alias: null, hint: names[i]! })),
    where: where.length === 0 ? null : sqlLogic('and', where),
    groupBy,
    having: having.length === 0 ? null : sqlLogic('and', having),
    orderBy,
    limit,
    offset,
    lock: q.forUpdate === null ? null : { ...q.forUpdate, of: lc.scope.items.map((i) => i.alias) },
  }
  return { select: { ...select, from: fromOf(lc) }, shape, lc }
}

function defaultOrder(q: QueryIR, lc: LCtx, items: readonly SqlExpr[]): OrderItem[] {
  if (q.value.kind === 'entity') return orderItems(lc, [{ value: q.value.ref, desc: false }])
  if (!q.grouped && !q.distinct) return q.sources.map((v) => lc.scope.varPk(v)).flat().map((expr) => ({ expr, desc: false }))
  return items.filter((i) => !q.grouped || !hasAggSql(i)).map((expr) => ({ expr, desc: false }))
}
