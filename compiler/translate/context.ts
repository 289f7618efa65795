/**
 * The context every translation step receives: the schema, the lambda being
 * translated (for error carets and param slots) and the names in scope.
 * Contexts are immutable; entering a nested lambda makes a new one. The only
 * shared mutable thing is the row-variable counter of one compilation, so
 * every SourceVar of a query has its own id. Nesting depth needs no check
 * here: the parser refuses trees deeper than normalize.ts's MAX_DEPTH.
 */
import type { ParsedLambda } from '../parse/parse-lambda.js'
import { lambdaError } from '../diagnostics.js'
import type { Expression, Node } from '../parse/estree.js'
import type { TranslationError } from '../errors.js'
import type { AttrInfo, SchemaInfo } from '../schema.js'
import type { Expr } from './ir.js'
import type { TVal } from './values.js'

/** One lambda of the query: where its params come from and how to quote it. */
export interface LambdaInfo {
  readonly src: ParsedLambda
  /** Slot number of this lambda (`lambdaInputs` order); -1 for inlined computed attributes. */
  readonly index: number
  readonly params: Readonly<Record<string, unknown>> | undefined
  /** How the user called it, for hints: `Person.select`, `.map`, … */
  readonly call: string
}

export interface Counter {
  next: number
}

/** The two entry points of the translator, carried in the context so stage modules need not import each other in a cycle. */
export interface Translators {
  readonly expr: (ctx: TCtx, n: Expression) => TVal
  readonly pred: (ctx: TCtx, n: Expression) => Expr
}

export interface TCtx {
  readonly tr: Translators
  readonly schema: SchemaInfo
  readonly lambda: LambdaInfo
  readonly scope: ReadonlyMap<string, TVal>
  readonly ids: Counter
  /** Computed attributes being inlined (a guard against a computed that uses itself). */
  readonly computing: readonly AttrInfo[]
  /** True inside `map` over the sources, where `count()` and `sum(x)` aggregate groups. */
  readonly groupable: boolean
}

/** A TranslationError quoting `node` of the current lambda. */
export function fail(ctx: TCtx, node: Node | null, message: string, hint?: string): TranslationError {
  return lambdaError(ctx.lambda.src, node, message, hint)
}

/** A context with more names bound (a nested lambda's parameters). */
export function withScope(ctx: TCtx, names: ReadonlyMap<string, TVal>): TCtx {
  const scope = new Map(ctx.scope)
  for (const [k, v] of names) scope.set(k, v)
  return { ...ctx, scope }
}

/** Translate an expression (see expr.ts). */
export function tx(ctx: TCtx, n: Expression): TVal {
  return ctx.tr.expr(ctx, n)
}

/** Translate an expression used as a condition (see operators.ts). */
export function txPred(ctx: TCtx, n: Expression): Expr {
  return ctx.tr.pred(ctx, n)
}
