/**
 * ESTree expression → TVal: the dispatcher of the translator. Each node kind
 * goes to its module (operators, members, calls); literals, arrays, objects
 * and template literals are handled here. What JavaScript has and SQL
 * cannot mean (`new`, assignment, `await`, `this` …) fails with a message
 * that says what to write instead.
 */
import type { Expression, Literal, Node, ObjectExpression, TemplateLiteral } from '../parse/estree.js'
import { fail, type TCtx, type Translators } from './context.js'
import { node, type Expr } from './ir.js'
import { translateIdentifier } from './identifiers.js'
import { translateBinary, translateConditional, translateLogical, translatePred, translateUnary } from './operators.js'
import { translateMember } from './members.js'
import { translateCall, translateTaggedTemplate } from './calls.js'
import { concatParts } from './concat.js'
import { numberType } from './types.js'
import { FALSE, NULL, TRUE, type TVal } from './values.js'

type AnyNode = Node & Record<string, unknown>

/** The translator's entry points, for the context. */
export const TRANSLATORS: Translators = { expr: translateExpr, pred: translatePred }

/** Translate one expression. */
export function translateExpr(ctx: TCtx, n: Expression): TVal {
  switch (n.type) {
    case 'Identifier': return translateIdentifier(ctx, n)
    case 'Literal': return { t: 'expr', expr: literal(ctx, n) }
    case 'TemplateLiteral': return { t: 'expr', expr: template(ctx, n) }
    case 'MemberExpression': return translateMember(ctx, n)
    case 'ChainExpression': return translateExpr(ctx, n.expression)
    case 'CallExpression': return translateCall(ctx, n)
    case 'TaggedTemplateExpression': return translateTaggedTemplate(ctx, n)
    case 'BinaryExpression': return translateBinary(ctx, n)
    case 'LogicalExpression': return translateLogical(ctx, n)
    case 'UnaryExpression': return translateUnary(ctx, n)
    case 'ConditionalExpression': return translateConditional(ctx, n)
    case 'ArrayExpression': {
      const items = n.elements.map((e) => {
        if (e === null || e.type === 'SpreadElement') throw fail(ctx, e ?? n, 'Spread and holes are not supported in an array in a lambda.', 'List the items: [a, b].')
        return translateExpr(ctx, e)
      })
      return { t: 'tuple', items }
    }
    case 'ObjectExpression': return object(ctx, n)
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      throw fail(ctx, n, 'A function can only be the argument of a collection method here.', 'Use it as in p.cars.some(c => c.price > 10).')
    case 'NewExpression':
      throw fail(ctx, n, '`new` cannot be translated to SQL.', 'Build the value before the query and pass it as a param: (p, $) => p.born > $.since, { since: new Date(…) }.')
    case 'AssignmentExpression':
    case 'UpdateExpression':
      throw fail(ctx, n, 'Assignment is not allowed in a query lambda.', 'Compare with ===; to change rows use .update(p => ({ attr: value })).')
    case 'AwaitExpression':
      throw fail(ctx, n, '`await` cannot appear in a query lambda.', 'Compute the value before the query and pass it as a param.')
    case 'ThisExpression':
      throw fail(ctx, n, '`this` cannot be used in a query lambda.', 'Pass the value as a param: (p, $) => … $.value …, { value }.')
    case 'SequenceExpression':
      throw fail(ctx, n, 'The comma operator is not supported in a query lambda.', 'Write one expression.')
    default:
      throw fail(ctx, n, `${describeNode(n)} cannot be translated to SQL.`, 'A lambda may use attributes, params, operators, pinto helpers and the methods listed in the docs.')
  }
}

function describeNode(n: Node): string {
  const names: Record<string, string> = {
    ClassExpression: 'A class', YieldExpression: '`yield`', MetaProperty: 'new.target / import.meta',
    ImportExpression: 'import()', ParenthesizedExpression: 'This expression',
  }
  return names[n.type] ?? `A ${n.type}`
}

function literal(ctx: TCtx, n: Literal): Expr {
  const v = n.value
  if (v === null) {
    if ('regex' in n && n.regex !== undefined) throw fail(ctx, n, 'Regular expressions cannot be translated to SQL.', 'Use startsWith/endsWith/includes, or like(x, pattern).')
    return NULL
  }
  if (typeof v === 'boolean') return v ? TRUE : FALSE
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw fail(ctx, n, 'This number cannot be sent to a database.')
    return node({ kind: 'const', type: numberType(v), nullable: false, value: v })
  }
  if (typeof v === 'string') return node({ kind: 'const', type: 'string', nullable: false, value: v })
  if (typeof v === 'bigint') return node({ kind: 'const', type: 'bigint', nullable: false, value: v })
  throw fail(ctx, n, 'Regular expressions cannot be translated to SQL.', 'Use startsWith/endsWith/includes, or like(x, pattern).')
}

function template(ctx: TCtx, n: TemplateLiteral): Expr {
  const parts: { expr: Expr; at: Node }[] = []
  n.quasis.forEach((q, i) => {
    const text = q.value.cooked
    if (text === null || text === undefined) throw fail(ctx, q, 'This template literal has an invalid escape sequence.')
    if (text !== '') parts.push({ expr: node({ kind: 'const', type: 'string', nullable: false, value: text }), at: q })
    const e = n.expressions[i]
    if (e !== undefined) {
      const v = translateExpr(ctx, e)
      if (v.t !== 'expr') throw fail(ctx, e, 'Only values can be placed in a template literal.')
      parts.push({ expr: v.expr, at: e })
    }
  })
  if (parts.length === 0) return node({ kind: 'const', type: 'string', nullable: false, value: '' })
  return concatParts(ctx, parts, true)
}

function object(ctx: TCtx, n: ObjectExpression): TVal {
  const keys: string[] = []
  const items: TVal[] = []
  for (const p of n.properties as unknown as AnyNode[]) {
    if (p.type !== 'Property' || p.computed === true || p.kind !== 'init' || p.method === true) {
      throw fail(ctx, p, 'Only plain properties are supported in an object in a lambda.', 'Write { name: p.name, n: count(p.cars) }.')
    }
    const key = p.key as AnyNode
    const name = key.type === 'Identifier' ? (key.name as string) : key.type === 'Literal' ? String(key.value) : null
    if (name === null) throw fail(ctx, key, 'Unsupported property name.')
    if (keys.includes(name)) throw fail(ctx, key, `The key '${name}' appears twice.`)
    keys.push(name)
    items.push(translateExpr(ctx, p.value as Expression))
  }
  return { t: 'object', keys, items }
}
