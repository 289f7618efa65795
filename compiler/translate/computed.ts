/**
 * Computed attributes (Pony's hybrid properties): `computed(p => p.first +
 * ' ' + p.last)` used in a lambda is inlined: its own lambda is parsed (once
 * per text) and translated with its parameter bound to the entity being
 * read. Errors inside it quote the computed lambda.
 */
import type { Node } from '../parse/estree.js'
import { lambdaText } from '../parse/lambda-source.js'
import { parseLambda } from '../parse/parse-lambda.js'
import type { AttrInfo } from '../schema.js'
import { fail, tx, type TCtx } from './context.js'
import type { EntityExpr } from './ir.js'
import type { TVal } from './values.js'

export function inlineComputed(ctx: TCtx, attr: AttrInfo, ref: EntityExpr, at: Node): TVal {
  if (ctx.computing.includes(attr)) throw fail(ctx, at, `The computed attribute ${attr.entity.name}.${attr.name} uses itself.`)
  const fn = attr.computed
  if (fn === null) throw fail(ctx, at, `${attr.entity.name}.${attr.name} has no lambda.`)
  const parsed = parseLambda(lambdaText(fn))
  const param = parsed.params[0]
  const scope = new Map<string, TVal>(param === undefined ? [] : [[param.name, { t: 'entity', ref }]])
  const inner: TCtx = {
    ...ctx,
    lambda: { src: parsed, index: -1, params: undefined, call: `computed ${attr.entity.name}.${attr.name}` },
    scope,
    computing: [...ctx.computing, attr],
  }
  return tx(inner, parsed.body)
}
