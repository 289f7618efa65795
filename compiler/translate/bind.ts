/**
 * Binding a top-level lambda of a query: its parameters name the current
 * values (the sources, or the mapped value), and one extra last parameter
 * names the params object (`(p, $) => p.age > $.minAge`).
 */
import { lambdaError } from '../diagnostics.js'
import type { ParsedLambda } from '../parse/parse-lambda.js'
import type { SchemaInfo } from '../schema.js'
import type { Counter, LambdaInfo, TCtx } from './context.js'
import { TRANSLATORS } from './expr.js'
import { paramsRoot } from './params.js'
import type { TVal } from './values.js'

export interface LambdaUse {
  readonly parsed: ParsedLambda
  readonly params: Readonly<Record<string, unknown>> | undefined
}

/** Everything one lambda translation needs, shared by the query's lambdas. */
export interface QueryEnv {
  readonly schema: SchemaInfo
  readonly ids: Counter
  readonly lambdas: readonly LambdaUse[]
}

/** Bind lambda number `index` to `args` (plus `$` when it takes one more parameter). */
export function bindLambda(env: QueryEnv, index: number, call: string, args: readonly TVal[], groupable: boolean): TCtx {
  const use = env.lambdas[index]!
  const info: LambdaInfo = { src: use.parsed, index, params: use.params, call }
  const base: TCtx = { tr: TRANSLATORS, schema: env.schema, lambda: info, scope: new Map(), ids: env.ids, computing: [], groupable }
  const ps = use.parsed.params
  if (ps.length > args.length + 1) {
    const extra = ps[args.length + 1]!
    throw lambdaError(use.parsed, extra, `This lambda takes ${ps.length} parameters, but ${call} gives ${args.length} value${args.length === 1 ? '' : 's'} and the params object.`, `Write ${call}((${['x', 'y', 'z'].slice(0, args.length).join(', ')}, $) => …).`)
  }
  const scope = new Map<string, TVal>()
  ps.forEach((p, i) => scope.set(p.name, i < args.length ? args[i]! : paramsRoot(base)))
  return { ...base, scope }
}

