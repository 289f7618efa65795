/**
 * What a piece of a lambda denotes while it is being translated. A name or
 * member can stand for a scalar expression, an entity, a collection, a tuple
 * or object (from `map`), part of the params object, a pinto helper, `Math`,
 * or an entity class; only scalars and entities reach the IR. `asExpr`,
 * `asPred` and `asEntity` convert, or fail with a message about the node.
 */
import type { Node } from '../parse/estree.js'
import type { EntityInfo } from '../schema.js'
import { fail, type TCtx } from './context.js'
import { node, type Coll, type EntityExpr, type Expr } from './ir.js'
import type { ParamShape } from './param-shape.js'

export const HELPERS = ['count', 'sum', 'avg', 'min', 'max', 'exists', 'between', 'like', 'coalesce', 'concat', 'groupConcat', 'distinct', 'desc', 'raw'] as const
export type HelperName = (typeof HELPERS)[number]

export type TVal =
  | { readonly t: 'expr'; readonly expr: Expr }
  | { readonly t: 'entity'; readonly ref: EntityExpr }
  | { readonly t: 'coll'; readonly coll: Coll }
  | { readonly t: 'tuple'; readonly items: readonly TVal[] }
  | { readonly t: 'object'; readonly keys: readonly string[]; readonly items: readonly TVal[] }
  /** A params object, array, or entity not yet used as a scalar. */
  | { readonly t: 'params'; readonly path: readonly (string | number)[]; readonly shape: ParamShape }
  | { readonly t: 'helper'; readonly name: HelperName }
  | { readonly t: 'global'; readonly name: 'Math' | 'Date' }
  | { readonly t: 'entityClass'; readonly entity: EntityInfo }
  | { readonly t: 'desc'; readonly value: TVal }
  | { readonly t: 'distinct'; readonly value: TVal }

export function exprVal(expr: Expr): TVal {
  return { t: 'expr', expr }
}

export const TRUE: Expr = node({ kind: 'const', type: 'boolean', nullable: false, value: true })
export const FALSE: Expr = node({ kind: 'const', type: 'boolean', nullable: false, value: false })
export const NULL: Expr = node({ kind: 'const', type: 'null', nullable: true, value: null })

function describe(v: TVal): string {
  switch (v.t) {
    case 'expr': return 'a value'
    case 'entity': return `an entity (${v.ref.entity.name})`
    case 'coll': return `a collection of ${v.coll.elem.entity.name}`
    case 'tuple': return 'an array'
    case 'object': return 'an object'
    case 'params': return v.shape.k === 'array' || v.shape.k === 'list' ? 'an array param' : 'a params object'
    case 'helper': return `the helper ${v.name}`
    case 'global': return v.name
    case 'entityClass': return `the entity ${v.entity.name}`
    case 'desc': return 'desc(…)'
    case 'distinct': return 'distinct(…)'
  }
}

/** A scalar expression, or fail. Entity params compared as values are not scalars. */
export function asExpr(ctx: TCtx, v: TVal, at: Node): Expr {
  if (v.t === 'expr') return v.expr
  if (v.t === 'params' && v.shape.k === 'null') return NULL
  if (v.t === 'coll') {
    throw fail(ctx, at, `${describe(v)} cannot be used as a single value.`, 'Use count(…), exists(…), .some(…), .length, or sum/avg/min/max(….map(x => x.attr)).')
  }
  throw fail(ctx, at, `Expected a value here, found ${describe(v)}.`)
}

/** An entity expression (entity refs, entity params), or fail. */
export function asEntity(ctx: TCtx, v: TVal, at: Node, entity: EntityInfo | null): EntityExpr {
  if (v.t === 'entity') return v.ref
  if (v.t === 'params' && v.shape.k === 'entity' && entity !== null) {
    return node({ kind: 'entityParam', entity, lambda: ctx.lambda.index, path: v.path, nullable: false })
  }
  throw fail(ctx, at, `Expected an entity here, found ${describe(v)}.`)
}

/** A boolean condition: booleans as they are, other values by JavaScript truthiness (#32). */
export function asPred(ctx: TCtx, v: TVal, at: Node): Expr {
  if (v.t === 'entity') return node({ kind: 'truthy', type: 'boolean', nullable: false, arg: v.ref })
  if (v.t === 'params' && v.shape.k === 'entity') return TRUE
  const e = asExpr(ctx, v, at)
  if (e.type === 'boolean') return e
  if (e.kind === 'const') return e.value === null || e.value === 0 || e.value === '' || e.value === 0n ? FALSE : TRUE
  return node({ kind: 'truthy', type: 'boolean', nullable: false, arg: e })
}

export function describeVal(v: TVal): string {
  return describe(v)
}
