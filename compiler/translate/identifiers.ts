/**
 * What a bare name in a lambda refers to, in JavaScript's order: a lambda
 * parameter (inner lambdas first), a key of the params object, a pinto
 * helper, a global (`Math`, `Date`, `undefined`, `NaN`, `Infinity`), an
 * entity of the schema. Anything else is an error that names the identifier
 * and shows the fix: the params object, or the `$` form when the name looks
 * renamed by a bundler (`v2` beside a param `v`).
 */
import { shortText } from '../diagnostics.js'
import type { Identifier } from '../parse/estree.js'
import { fail, type TCtx } from './context.js'
import { NULL, HELPERS, type HelperName, type TVal } from './values.js'
import { paramAt } from './params.js'

const HELPER_SET: ReadonlySet<string> = new Set(HELPERS)

/** The meaning of a name, or null when nothing binds it. */
export function resolveName(ctx: TCtx, name: string): TVal | null {
  const bound = ctx.scope.get(name)
  if (bound !== undefined) return bound
  const params = ctx.lambda.params
  if (params !== undefined && Object.hasOwn(params, name)) return paramAt(ctx, [name], params[name])
  if (HELPER_SET.has(name)) return { t: 'helper', name: name as HelperName }
  if (name === 'Math' || name === 'Date') return { t: 'global', name }
  if (name === 'undefined') return { t: 'expr', expr: NULL }
  const entity = ctx.schema.entities.get(name)
  if (entity !== undefined) return { t: 'entityClass', entity }
  return null
}

export function isHelperName(name: string): name is HelperName {
  return HELPER_SET.has(name)
}

/** Translate an identifier, or fail with the fix. */
export function translateIdentifier(ctx: TCtx, n: Identifier): TVal {
  const found = resolveName(ctx, n.name)
  if (found !== null) return found
  if (n.name === 'NaN' || n.name === 'Infinity') {
    throw fail(ctx, n, `${n.name} cannot be used in a query: databases have no such number (SEMANTICS #33).`, 'Compare with a finite number, or test the column for null.')
  }
  throw unknownName(ctx, n)
}

function unknownName(ctx: TCtx, n: Identifier): Error {
  const name = n.name
  const keys = Object.keys(ctx.lambda.params ?? {})
  const base = /^(.*?)\d+$/.exec(name)?.[1]
  const renamedFrom = base !== undefined && base !== '' && keys.includes(base) ? base : null
  const text = shortText(ctx.lambda.src.text)
  const call = ctx.lambda.call
  const message = `Unknown name '${name}' in a lambda: it is not a lambda parameter, a param, a pinto helper or an entity.`
  if (ctx.lambda.index < 0) {
    return fail(ctx, n, message, 'A computed attribute can use only its entity parameter, helpers and entities.')
  }
  if (renamedFrom !== null) {
    return fail(ctx, n, message, `It looks renamed by a bundler (the params object has '${renamedFrom}'). Read params through the lambda's last parameter, which survives renaming: ${call}((…, $) => … $.${renamedFrom} …, { ${renamedFrom} })`)
  }
  return fail(ctx, n, message, `Pass its value in the params object: ${call}(${text}, { ${[...keys, name].join(', ')} }), or read it as $.${name} with (…, $) => ….`)
}
