/**
 * Pieces of query translation: turning a translated value into the result
 * Value of a query, finding aggregates in it (Pony's auto-grouping), reading
 * `orderBy` keys with `desc`, and translating the terminal (`sum(lambda)`,
 * `update(p => ({ … }))`).
 */
import { TranslationError } from '../errors.js'
import type { Node } from '../parse/estree.js'
import type { QueryTerminal } from '../query-spec.js'
import { fail, type TCtx } from './context.js'
import { node, type EntityExpr, type Expr, type OrderKey, type TerminalIR, type Value } from './ir.js'
import { bindLambda, type QueryEnv } from './bind.js'
import { adoptType, comparable, isNumeric } from './types.js'
import { asEntity, asExpr, describeVal, type TVal } from './values.js'

function problem(ctx: TCtx | null, at: Node | null, message: string, hint?: string): Error {
  return ctx === null ? new TranslationError(hint === undefined ? message : `${message}\n${hint}`) : fail(ctx, at, message, hint)
}

/** The result Value of a translated `map` (or fail for things that are not results). */
export function toValue(ctx: TCtx | null, v: TVal, at: Node | null): Value {
  switch (v.t) {
    case 'expr': return { kind: 'scalar', expr: v.expr }
    case 'entity': return { kind: 'entity', ref: v.ref }
    case 'tuple': return { kind: 'tuple', items: v.items.map((i) => toValue(ctx, i, at)) }
    case 'object': return { kind: 'object', keys: v.keys, items: v.items.map((i) => toValue(ctx, i, at)) }
    case 'coll': throw problem(ctx, at, 'A collection inside a mapped value cannot be fetched in one row.', 'Use count(p.cars), or map to the collection alone to flatten it: .map(p => p.cars).')
    default: throw problem(ctx, at, `A query cannot return ${describeVal(v)}.`, 'Map to attributes, entities, or arrays and objects of them.')
  }
}

function exprHasAgg(e: Expr): boolean {
  switch (e.kind) {
    case 'agg': return true
    case 'collAgg': case 'column': case 'param': case 'const': return false
    case 'arith': case 'compare': case 'pick': return exprHasAgg(e.left) || exprHasAgg(e.right)
    case 'neg': case 'not': case 'toText': case 'json': case 'jsonNull': return exprHasAgg(e.arg)
    case 'truthy': case 'isNull': return e.arg.kind !== 'entityRef' && e.arg.kind !== 'entityParam' && exprHasAgg(e.arg)
    case 'concat': return e.parts.some(exprHasAgg)
    case 'and': case 'or': case 'coalesce': return e.items.some(exprHasAgg)
    case 'fn': case 'raw': return e.args.some(exprHasAgg)
    case 'cond': return exprHasAgg(e.test) || exprHasAgg(e.then) || exprHasAgg(e.else)
    case 'match': return exprHasAgg(e.arg) || exprHasAgg(e.needle)
    case 'like': return exprHasAgg(e.arg) || exprHasAgg(e.pattern)
    case 'in': case 'inList': return (e.arg.kind !== 'entityRef' && e.arg.kind !== 'entityParam' && exprHasAgg(e.arg))
    case 'entityEq': return false
  }
}

/** Does a mapped value aggregate (so the query groups by its other parts)? */
export function hasAgg(v: TVal): boolean {
  if (v.t === 'expr') return exprHasAgg(v.expr)
  if (v.t === 'tuple' || v.t === 'object') return v.items.some(hasAgg)
  return false
}

/** `orderBy` keys: one value, or an array of values, each maybe `desc(…)`. */
export function orderKeys(ctx: TCtx, v: TVal, at: Node): OrderKey[] {
  const items = v.t === 'tuple' ? v.items : [v]
  return items.map((item) => {
    const desc = item.t === 'desc'
    const inner = item.t === 'desc' ? item.value : item
    if (inner.t === 'entity') return { value: inner.ref, desc }
    if (inner.t === 'expr') return { value: inner.expr, desc }
    throw fail(ctx, at, `Cannot order by ${describeVal(inner)}.`, 'Order by attributes: p => [desc(p.age), p.name].')
  })
}

const AGG_CALL: Readonly<Record<string, string>> = { sum: '.sum', avg: '.avg', min: '.min', max: '.max' }

export function terminalIR(env: QueryEnv, t: QueryTerminal, k: number, mapped: TVal | null, sourceVals: readonly TVal[]): TerminalIR {
  switch (t.kind) {
    case 'rows': case 'count': case 'exists': return { kind: t.kind }
    case 'aggregate': {
      let expr: Expr
      if (t.lambda !== null) {
        const ctx = bindLambda(env, k, AGG_CALL[t.fn]!, mapped === null ? sourceVals : [mapped], false)
        expr = asExpr(ctx, ctx.tr.expr(ctx, ctx.lambda.src.body), ctx.lambda.src.body)
        if ((t.fn === 'sum' || t.fn === 'avg') && !isNumeric(expr.type) && expr.type !== 'unknown') {
          throw fail(ctx, ctx.lambda.src.body, `${t.fn}() needs numbers, found a ${expr.type}.`)
        }
      } else {
        if (mapped?.t !== 'expr') throw new TranslationError(`${t.fn}() without a lambda needs a query mapped to one value: .map(p => p.age).${t.fn}().`)
        expr = mapped.expr
      }
      return { kind: 'aggregate', fn: t.fn, expr }
    }
    case 'delete':
      if (mapped !== null || sourceVals.length !== 1) throw new TranslationError('A bulk delete works on a query of one entity, without map.')
      return { kind: 'delete' }
    case 'update': return updateIR(env, k, mapped, sourceVals)
  }
}

function updateIR(env: QueryEnv, k: number, mapped: TVal | null, sourceVals: readonly TVal[]): TerminalIR {
  if (mapped !== null || sourceVals.length !== 1) throw new TranslationError('A bulk update works on a query of one entity, without map.')
  const ctx = bindLambda(env, k, '.update', sourceVals, false)
  const body = ctx.lambda.src.body
  const v = ctx.tr.expr(ctx, body)
  if (v.t !== 'object') throw fail(ctx, body, 'update() takes a lambda that returns an object of new values.', 'Write .update(p => ({ age: p.age + 1 })).')
  const entity = (sourceVals[0] as Extract<TVal, { t: 'entity' }>).ref.entity
  const sets = v.keys.map((key, i) => {
    const attr = entity.attrs.get(key)
    if (attr === undefined) throw fail(ctx, body, `${entity.name} has no attribute '${key}'.`, `Attributes of ${entity.name}: ${[...entity.attrs.keys()].join(', ')}.`)
    if (attr.columns.length === 0 || entity.pk.includes(attr)) throw fail(ctx, body, `${entity.name}.${key} cannot be set by a bulk update.`, 'Set stored, non-key attributes; change collections object by object.')
    const item = v.items[i]!
    let value: Expr | EntityExpr
    if (attr.relation === 'toOne') {
      value = item.t === 'expr' && item.expr.type === 'null' ? item.expr : asEntity(ctx, item, body, attr.target)
    } else {
      const e = asExpr(ctx, item, body)
      if (!comparable(e.type, attr.type ?? 'unknown')) throw fail(ctx, body, `${entity.name}.${key} is a ${attr.type}; the new value is a ${e.type}.`)
      value = e.kind === 'param' || e.kind === 'const' ? node({ ...e, type: e.type === 'null' ? e.type : (attr.type ?? e.type) }) : adoptType(e, e)
    }
    if (value.nullable && !attr.nullable) throw fail(ctx, body, `${entity.name}.${key} is required; the new value can be null.`, "Give a fallback: (x ?? default).")
    return { attr, value }
  })
  return { kind: 'update', sets }
}
