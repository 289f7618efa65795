/**
 * Calls: helpers (`count(x)`, also as `(0, pinto_1.count)(x)` and
 * `import_pinto.count(x)` from compiled code), methods of values, of
 * collections and of entity classes, and the `raw` template tag. A call of
 * anything else fails: a lambda is translated, never run.
 */
import type { CallExpression, Expression, Node, TaggedTemplateExpression } from '../parse/estree.js'
import { fail, tx, type TCtx } from './context.js'
import { collMethod, entityClassMethod } from './collections.js'
import { helperCall } from './helpers.js'
import { isHelperName, resolveName } from './identifiers.js'
import { node, type Expr } from './ir.js'
import { propertyKey } from './members.js'
import { arrayIncludes, arrayItems, dateMethod, listIncludes, mathMethod, stringMethod } from './methods.js'
import { aType, isText } from './types.js'
import { asExpr, describeVal, type TVal } from './values.js'

/** Arguments that are values (lambdas are left for the method to bind). */
function values(ctx: TCtx, n: CallExpression): TVal[] {
  return n.arguments.map((a) => {
    if (a.type === 'SpreadElement') throw fail(ctx, a, 'Spread arguments are not supported in a lambda.')
    if (a.type === 'ArrowFunctionExpression' || a.type === 'FunctionExpression') return { t: 'tuple', items: [] }
    return tx(ctx, a)
  })
}

/** The callee `pinto_1.count` / `import_pinto.count`, when it names a helper through a module namespace. */
function namespacedHelper(ctx: TCtx, callee: Node): string | null {
  const c = callee as Node & { type: string; object?: Node & { name?: string }; property?: Node; computed?: boolean }
  if (c.type !== 'MemberExpression' || c.object?.type !== 'Identifier' || c.computed === true) return null
  const key = (c.property as Node & { name?: string }).name
  return key !== undefined && isHelperName(key) && resolveName(ctx, c.object.name!) === null ? key : null
}

export function translateCall(ctx: TCtx, n: CallExpression): TVal {
  const callee = n.callee
  const ns = namespacedHelper(ctx, callee)
  if (ns !== null && isHelperName(ns)) return helperCall(ctx, ns, n, values(ctx, n))
  if (callee.type === 'MemberExpression') {
    const name = String(propertyKey(ctx, callee))
    if (callee.object.type === 'Super') throw fail(ctx, callee.object, '`super` cannot be used in a query lambda.')
    return method(ctx, tx(ctx, callee.object), name, n)
  }
  if (callee.type === 'Identifier') {
    const f = resolveName(ctx, callee.name)
    if (f?.t === 'helper') return helperCall(ctx, f.name, n, values(ctx, n))
    throw fail(ctx, callee, `Cannot call ${callee.name}(…) in a query lambda.`, 'Only pinto helpers (count, sum, avg, min, max, exists, between, like, coalesce, concat, groupConcat, distinct, desc) and methods of values translate; compute other values before the query and pass them as params.')
  }
  throw fail(ctx, callee, 'This call cannot be translated to SQL.', 'Only pinto helpers and methods of values translate.')
}

function method(ctx: TCtx, recv: TVal, name: string, n: CallExpression): TVal {
  switch (recv.t) {
    case 'coll': return collMethod(ctx, recv.coll, name, n, values(ctx, n))
    case 'entityClass': return entityClassMethod(ctx, recv.entity, name, n)
    case 'global':
      if (recv.name === 'Math') return mathMethod(ctx, name, n, values(ctx, n))
      throw fail(ctx, n, `Date.${name}() cannot be translated to SQL.`, 'Compute the date before the query and pass it as a param: (p, $) => p.born > $.since.')
    case 'expr': {
      const e = recv.expr
      if (isText(e.type)) return stringMethod(ctx, e, name, n, values(ctx, n))
      if (e.type === 'date') return dateMethod(ctx, e, name, n, values(ctx, n))
      throw fail(ctx, n.callee, `Unknown method '${name}' on ${aType(e.type)} value.`, e.type === 'json' || e.type === 'unknown' ? 'Compare JSON values directly, or use raw`…`.' : undefined)
    }
    default: {
      if (recv.t === 'params' && recv.shape.k === 'list' && name === 'includes') {
        const args = values(ctx, n)
        if (args.length !== 1) throw fail(ctx, n, '.includes takes one argument in a query.')
        return listIncludes(ctx, recv.path, recv.shape, args[0]!, n)
      }
      const items = arrayItems(ctx, recv)
      if (items !== null && name === 'includes') {
        const args = values(ctx, n)
        if (args.length !== 1) throw fail(ctx, n, '.includes takes one argument in a query.')
        return arrayIncludes(ctx, items, args[0]!, n)
      }
      const isArray = items !== null || (recv.t === 'params' && recv.shape.k === 'list')
      throw fail(ctx, n.callee, `Unknown method '${name}' on ${describeVal(recv)}.`, isArray ? 'Arrays support .includes(x) and .length in a query.' : undefined)
    }
  }
}

/** raw`…${expr}…`: its text goes into SQL verbatim; its `${}` parts are translated expressions. */
export function translateTaggedTemplate(ctx: TCtx, n: TaggedTemplateExpression): TVal {
  const tag = n.tag.type === 'Identifier' ? resolveName(ctx, n.tag.name) : null
  const isRaw = (tag?.t === 'helper' && tag.name === 'raw') || namespacedHelper(ctx, n.tag) === 'raw'
  if (!isRaw) throw fail(ctx, n.tag, 'Only the raw`…` tag can be used in a lambda.', 'Import raw from pinto: raw`lower(${p.name})`.')
  const parts = n.quasi.quasis.map((q) => {
    const text = q.value.cooked
    if (text === null || text === undefined || text.includes('\u0000')) throw fail(ctx, q, 'This raw SQL text cannot be used (invalid escape or NUL character).')
    return text
  })
  const args: Expr[] = n.quasi.expressions.map((e: Expression) => {
    const v = tx(ctx, e)
    if (v.t === 'entity') throw fail(ctx, e, 'An entity cannot be placed in raw SQL.', 'Place its attributes: raw`${p.id}`.')
    return asExpr(ctx, v, e)
  })
  return { t: 'expr', expr: node({ kind: 'raw', type: 'unknown', nullable: true, parts, args }) }
}
