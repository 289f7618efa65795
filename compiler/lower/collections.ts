/**
 * Collections become correlated subqueries: `p.cars.some(c => …)` is
 * `EXISTS (SELECT 1 FROM car c WHERE c.owner = p.id AND …)`, `count(p.cars)`
 * a `(SELECT COUNT(*) …)`, `sum(p.cars.map(c => c.price))` a
 * `(SELECT COALESCE(SUM(c.price), 0) …)`. A many-to-many collection reads its
 * link table and joins the element table only when an attribute other than
 * the key is needed. `Car.select(…)` inside a lambda is the same without
 * the correlation.
 */
import type { AttrInfo } from '../schema.js'
import type { Coll, Expr } from '../translate/ir.js'
import { lowerPred, lowerValue, type LCtx } from './context.js'
import { entityPk } from './entities.js'
import { Scope } from './scope.js'
import { emptySelect, minMaxSql, sqlLogic, sumAvgSql, type FromItem, type SqlExpr, type SqlSelect } from './sql.js'
import { discriminatorFilter } from './discriminator.js'

type CollAgg = Extract<Expr, { kind: 'collAgg' }>

function col(alias: string, name: string): SqlExpr {
  return { k: 'col', alias, name, nullable: false }
}

/**
 * The tests tying a collection's rows to its owner: a one-to-many's foreign
 * key in the element table, or a many-to-many's own columns in the link
 * table (either at `alias`), equal to the owner's key `ownerPk`. `nullable`:
 * the tests may be NULL where the owner's key may (a correlated WHERE), or
 * never (the ON of a join flattening the collection into the rows).
 */
export function ownerTests(attr: AttrInfo, alias: string, ownerPk: readonly SqlExpr[], nullable: boolean): SqlExpr[] {
  const columns = attr.relation === 'toMany' ? attr.reverse!.columns : attr.link!.ownColumns
  return columns.map((c, i) => ({ k: 'cmp', op: '=', l: col(alias, c.name), r: ownerPk[i]!, nullable: nullable && ownerPk[i]!.nullable }))
}

/** The FROM and WHERE of a collection, in a new scope under `lc.scope`. */
export function collSource(lc: LCtx, coll: Coll): { inner: LCtx; where: SqlExpr[] } {
  const scope = new Scope(lc.scope.stmt, lc.scope)
  const inner: LCtx = { ...lc, scope }
  const where: SqlExpr[] = []
  const owner = coll.owner
  if (owner === null) {
    const alias = scope.addSource(coll.elem)
    const d = discriminatorFilter(coll.elem.entity, alias)
    if (d !== null) where.push(d)
  } else if (owner.attr.relation === 'toMany') {
    const alias = scope.addSource(coll.elem)
    where.push(...ownerTests(owner.attr, alias, entityPk(lc, owner.from), true))
  } else {
    const link = owner.attr.link!
    const linkAlias = scope.addTable(link.table, link.table)
    scope.addLinkVar(coll.elem, linkAlias, link.targetColumns.map((c) => c.name))
    where.push(...ownerTests(owner.attr, linkAlias, entityPk(lc, owner.from), true))
  }
  for (const f of coll.filters) where.push(lowerPred(inner, f))
  return { inner, where }
}

function fromOf(scope: Scope): FromItem[] {
  return scope.items.map((it) => ({ k: 'table', table: it.table, alias: it.alias, joins: it.joins }))
}

function mapped(inner: LCtx, coll: Coll): SqlExpr | null {
  const m = coll.map
  if (m === null) return null
  if (m.kind === 'entityRef' || m.kind === 'entityParam') return entityPk(inner, m)[0]!
  return lowerValue(inner, m)
}

/** Whether the collection's mapped values are decimals (aggregated exactly, ordered as numbers). */
function decimalMap(coll: Coll): boolean {
  const m = coll.map
  return m !== null && m.kind !== 'entityRef' && m.kind !== 'entityParam' && m.type === 'decimal'
}

export function lowerCollAgg(lc: LCtx, e: CollAgg): SqlExpr {
  const coll = e.coll
  const { inner, where } = collSource(lc, coll)
  const value = e.fn === 'exists' || e.fn === 'size' ? null : mapped(inner, coll)
  const query = (item: SqlExpr): SqlSelect => ({
    ...emptySelect(),
    items: [{ expr: item, alias: null }],
    from: fromOf(inner.scope),
    where: where.length === 0 ? null : sqlLogic('and', where),
  })
  switch (e.fn) {
    case 'exists': return { k: 'exists', query: query({ k: 'num', value: 1, nullable: false }), negated: false, nullable: false }
    case 'size':
      return { k: 'subquery', query: query({ k: 'agg', fn: 'count', arg: null, distinct: false, sep: null, nullable: false }), nullable: false }
    case 'count':
      return { k: 'subquery', query: query({ k: 'agg', fn: 'count', arg: value, distinct: value !== null, sep: null, nullable: false }), nullable: false }
    case 'sum': case 'avg':
      return { k: 'subquery', query: query(sumAvgSql(e.fn, value, decimalMap(coll), coll.distinct)), nullable: e.fn === 'avg' }
    case 'min': case 'max':
      return { k: 'subquery', query: query(minMaxSql(e.fn, value, decimalMap(coll), coll.distinct, true)), nullable: true }
    case 'groupConcat':
      return { k: 'subquery', query: query({ k: 'agg', fn: e.fn, arg: value, distinct: coll.distinct, sep: e.sep, nullable: true }), nullable: true }
  }
}
