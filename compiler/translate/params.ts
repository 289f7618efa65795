/**
 * Params in a lambda. A name from the params object (or a member of `$`)
 * becomes a bound slot, never a value in the SQL text: its path (property
 * names and array indexes from the params object) and its type. The shape of
 * the value decides the SQL: a null param is a null literal (so `x === v`
 * becomes `x IS NULL`), an array gives an `IN` list of its length (a long
 * list: one slot holding the whole list), an entity is bound through its
 * primary key.
 */
import { fail, type TCtx } from './context.js'
import { node } from './ir.js'
import type { Node } from '../parse/estree.js'
import { LONG_LIST, MAX_PARAM_DEPTH, shapeOf } from './param-shape.js'
import { NULL, type TVal } from './values.js'

/** The TVal for the param value at `path` (its value is read only for its shape). */
export function paramAt(ctx: TCtx, path: readonly (string | number)[], value: unknown): TVal {
  const shape = shapeOf(value)
  switch (shape.k) {
    case 'null': return { t: 'expr', expr: NULL }
    case 'scalar': return { t: 'expr', expr: node({ kind: 'param', type: shape.type, nullable: false, lambda: ctx.lambda.index, path }) }
    default: return { t: 'params', path, shape }
  }
}

/** The root of the params object (the `$` parameter). */
export function paramsRoot(ctx: TCtx): TVal {
  const params = ctx.lambda.params
  return { t: 'params', path: [], shape: params === undefined || params === null ? { k: 'null' } : { k: 'object' } }
}

/** The value at `path` inside the params object. */
export function valueAt(ctx: TCtx, path: readonly (string | number)[]): unknown {
  let v: unknown = ctx.lambda.params
  for (const key of path) v = (v as Record<string | number, unknown> | null | undefined)?.[key]
  return v
}

/** `$.a`, `arr[0]`, `arr.length` on a params value. */
export function paramMember(ctx: TCtx, v: Extract<TVal, { t: 'params' }>, key: string | number, at: Node): TVal {
  if (v.shape.k === 'array' && key === 'length') return { t: 'expr', expr: node({ kind: 'const', type: 'int', nullable: false, value: v.shape.length }) }
  // A long list's length is not part of the shape: it is bound (an array's own 'length' property).
  if (v.shape.k === 'list' && key === 'length') return { t: 'expr', expr: node({ kind: 'param', type: 'int', nullable: false, lambda: ctx.lambda.index, path: [...v.path, 'length'] }) }
  if (v.shape.k === 'list') {
    throw fail(ctx, at, `An array param of more than ${LONG_LIST} values can only be used with .includes(x) and .length.`, 'Pass the element you need as a param of its own.')
  }
  if (v.shape.k === 'null' && v.path.length === 0) throw fail(ctx, at, `The lambda reads $.${key}, but ${ctx.lambda.params === null ? 'the params object passed is null' : 'no params object was passed'}.`, `Pass it beside the lambda: ${ctx.lambda.call}((…, $) => … $.${key} …, { ${key} }).`)
  if (v.shape.k === 'null') throw fail(ctx, at, `Cannot read '${key}' of a param that is null.`, 'Check the params object: this value is null or undefined.')
  if (v.shape.k === 'other') throw fail(ctx, at, `A param that is ${v.shape.what} cannot be used in a query.`)
  if (v.path.length >= MAX_PARAM_DEPTH) throw fail(ctx, at, 'The param is nested too deeply.', `Pass values at most ${MAX_PARAM_DEPTH} levels deep in the params object.`)
  const path = [...v.path, key]
  if (v.shape.k === 'entity') {
    return { t: 'expr', expr: node({ kind: 'param', type: 'unknown', nullable: false, lambda: ctx.lambda.index, path }) }
  }
  const container = valueAt(ctx, v.path) as Record<string | number, unknown>
  if (v.shape.k === 'object' && !Object.hasOwn(container, key)) {
    throw fail(ctx, at, `The params object has no '${key}'.`, `Add it: { ${key} }.`)
  }
  if (v.shape.k === 'array' && (typeof key !== 'number' || key < 0 || key >= v.shape.length)) {
    throw fail(ctx, at, `Index ${String(key)} is outside the array param (length ${v.shape.length}).`)
  }
  return paramAt(ctx, path, container[key])
}
