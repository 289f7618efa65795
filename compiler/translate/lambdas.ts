/**
 * Nested lambdas: the argument of `p.cars.some(c => …)`, `Car.select(c => …)`
 * and the top-level lambdas of a query. Binding a lambda gives a context in
 * which its parameters name the given values; a last extra parameter, when
 * allowed, names the params object (`(p, $) => … $.minAge`).
 */
import type { Expression, Node } from '../parse/estree.js'
import { fail, withScope, type TCtx } from './context.js'
import type { TVal } from './values.js'

type AnyNode = Node & Record<string, unknown>

export interface BoundLambda {
  readonly ctx: TCtx
  readonly body: Expression
}

/** Bind the nested function `fn` (an argument node) to `args`. */
export function bindNested(ctx: TCtx, fn: Node | undefined, args: readonly TVal[], at: Node, what: string): BoundLambda {
  const f = fn as AnyNode | undefined
  if (f === undefined || f.type !== 'ArrowFunctionExpression') {
    throw fail(ctx, fn ?? at, `${what} takes a lambda here.`, `Write ${what}(x => …).`)
  }
  const params = f.params as AnyNode[]
  if (params.length > args.length) {
    throw fail(ctx, params[args.length]!, `This lambda takes at most ${args.length} parameter${args.length === 1 ? '' : 's'} here.`)
  }
  const names = new Map<string, TVal>()
  params.forEach((p, i) => {
    if (p.type !== 'Identifier') throw fail(ctx, p, 'Lambda parameters must be plain names.', 'Write c => c.price instead of destructuring.')
    names.set(p.name as string, args[i]!)
  })
  return { ctx: { ...withScope(ctx, names), groupable: false }, body: f.body as Expression }
}

/** The first parameter name of a nested lambda argument (for alias hints). */
export function firstParamName(fn: Node | undefined): string | null {
  const f = fn as AnyNode | undefined
  const p = (f?.params as AnyNode[] | undefined)?.[0]
  return p?.type === 'Identifier' ? (p.name as string) : null
}
