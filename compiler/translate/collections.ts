/**
 * Collections inside a lambda: `p.cars`, `c.tags` (many-to-many) and
 * `Car.select(c => …)`. Methods narrow them (`filter`), project them (`map`)
 * or reduce them to a value (`some`, `every`, `includes`, `length`, `count`,
 * `exists`, `sum` …), which lowering turns into a correlated subquery: an
 * entity result never gets duplicated by a to-many join.
 */
import type { CallExpression, Node } from '../parse/estree.js'
import { fail, txPred, tx, type TCtx } from './context.js'
import { compare, not } from './compare.js'
import { node, type AggFn, type Coll, type EntityExpr, type Expr, type SourceVar } from './ir.js'
import { bindNested, firstParamName } from './lambdas.js'
import { isNumeric } from './types.js'
import { newVar } from './vars.js'
import type { TVal } from './values.js'

export function varRef(v: SourceVar): EntityExpr {
  return node({ kind: 'entityRef', entity: v.entity, base: v, path: [], nullable: false })
}

/** The value of one element: the mapped value, or the element entity. */
export function elemValue(coll: Coll): TVal {
  if (coll.map === null) return { t: 'entity', ref: varRef(coll.elem) }
  return coll.map.kind === 'entityRef' || coll.map.kind === 'entityParam' ? { t: 'entity', ref: coll.map } : { t: 'expr', expr: coll.map }
}

/** Rename the element variable after the lambda parameter, while nothing refers to it yet. */
function hinted(ctx: TCtx, coll: Coll, fn: Node | undefined): Coll {
  const name = firstParamName(fn)
  if (name === null || coll.filters.length > 0 || coll.map !== null || coll.elem.hint === name) return coll
  return node({ ...coll, elem: newVar(ctx, coll.elem.entity, name) })
}

export function withFilter(ctx: TCtx, coll0: Coll, fn: Node | undefined, at: Node, what: string): Coll {
  const coll = hinted(ctx, coll0, fn)
  const bound = bindNested(ctx, fn, [elemValue(coll)], at, what)
  return node({ ...coll, filters: [...coll.filters, txPred(bound.ctx, bound.body)] })
}

function withMap(ctx: TCtx, coll0: Coll, fn: Node | undefined, at: Node): Coll {
  const coll = hinted(ctx, coll0, fn)
  const bound = bindNested(ctx, fn, [elemValue(coll)], at, '.map')
  const v = tx(bound.ctx, bound.body)
  if (v.t === 'entity') return node({ ...coll, map: v.ref })
  if (v.t === 'expr') return node({ ...coll, map: v.expr })
  throw fail(ctx, bound.body, 'Inside a query, .map must give one value or one entity per element.', 'Map to an attribute: p.cars.map(c => c.price).')
}

/** A collection reduced to a value by `fn`. */
export function aggregate(ctx: TCtx, fn: AggFn | 'exists' | 'size', coll: Coll, at: Node, sep: string | null = null): Expr {
  if (fn === 'exists') return node({ kind: 'collAgg', fn, type: 'boolean', nullable: false, coll, sep })
  if (fn === 'size' || fn === 'count') return node({ kind: 'collAgg', fn, type: 'int', nullable: false, coll, sep })
  const m = coll.map
  if (m === null || m.kind === 'entityRef' || m.kind === 'entityParam') {
    throw fail(ctx, at, `${fn} needs values, not entities.`, `Map the collection to an attribute first: ${fn}(p.cars.map(c => c.price)).`)
  }
  if ((fn === 'sum' || fn === 'avg') && !isNumeric(m.type) && m.type !== 'unknown') {
    throw fail(ctx, at, `${fn} needs numbers, found ${m.type} values.`)
  }
  const type = fn === 'avg' ? 'number' : fn === 'groupConcat' ? 'string' : m.type
  return node({ kind: 'collAgg', fn, type, nullable: fn !== 'sum', coll, sep })
}

function someOf(ctx: TCtx, coll: Coll, fn: Node | undefined, at: Node): Expr {
  const narrowed = fn === undefined ? coll : withFilter(ctx, coll, fn, at, '.some')
  return aggregate(ctx, 'exists', narrowed, at)
}

function everyOf(ctx: TCtx, coll0: Coll, fn: Node | undefined, at: Node): Expr {
  const coll = hinted(ctx, coll0, fn)
  const bound = bindNested(ctx, fn, [elemValue(coll)], at, '.every')
  const failing = node({ ...coll, filters: [...coll.filters, not(txPred(bound.ctx, bound.body))] })
  return not(aggregate(ctx, 'exists', failing, at))
}

function includesOf(ctx: TCtx, coll: Coll, arg: TVal, at: Node): Expr {
  const eq = compare(ctx, at, '===', elemValue(coll), arg)
  return aggregate(ctx, 'exists', node({ ...coll, filters: [...coll.filters, eq] }), at)
}

/** `coll.method(args)`. */
export function collMethod(ctx: TCtx, coll: Coll, name: string, n: CallExpression, args: readonly TVal[] | null): TVal {
  const fn = n.arguments[0] as Node | undefined
  const val = (e: Expr): TVal => ({ t: 'expr', expr: e })
  switch (name) {
    case 'filter':
    case 'select':
    case 'where':
      return { t: 'coll', coll: withFilter(ctx, coll, fn, n, `.${name}`) }
    case 'map': return { t: 'coll', coll: withMap(ctx, coll, fn, n) }
    case 'some': return val(someOf(ctx, coll, fn, n))
    case 'every': return val(everyOf(ctx, coll, fn, n))
    case 'exists': return val(fn === undefined ? aggregate(ctx, 'exists', coll, n) : someOf(ctx, coll, fn, n))
    case 'includes': {
      const arg = args?.[0]
      if (arg === undefined) throw fail(ctx, n, '.includes takes the value to look for.')
      return val(includesOf(ctx, coll, arg, n))
    }
    case 'count': return val(aggregate(ctx, 'size', fn === undefined ? coll : withFilter(ctx, coll, fn, n, '.count'), n))
    case 'distinct': return { t: 'coll', coll: node({ ...coll, distinct: true }) }
    case 'sum':
    case 'avg':
    case 'min':
    case 'max':
      return val(aggregate(ctx, name, fn === undefined ? coll : withMap(ctx, coll, fn, n), n))
    default:
      throw fail(ctx, n.callee, `Unknown collection method '${name}'.`, 'Collections support filter, map, some, every, includes, count, exists, sum, avg, min, max and .length.')
  }
}

/** `Car.select(c => …)` / `Car.exists(c => …)` on an entity class inside a lambda. */
export function entityClassMethod(ctx: TCtx, entity: Coll['elem']['entity'], name: string, n: CallExpression): TVal {
  const fn = n.arguments[0] as Node | undefined
  const hint = firstParamName(fn) ?? entity.name.charAt(0).toLowerCase()
  const coll: Coll = node({ elem: newVar(ctx, entity, hint), owner: null, filters: [], map: null, distinct: false })
  if (name === 'select') return { t: 'coll', coll: fn === undefined ? coll : withFilter(ctx, coll, fn, n, `${entity.name}.select`) }
  if (name === 'exists') return { t: 'expr', expr: fn === undefined ? aggregate(ctx, 'exists', coll, n) : someOf(ctx, coll, fn, n) }
  throw fail(ctx, n.callee, `${entity.name}.${name}(…) cannot be used inside a lambda.`, `Write ${entity.name}.select(x => …) with .exists(), .count() or .some().`)
}
