/**
 * Source text → `ParsedLambda`. In: the text `fn.toString()` gave. Out: the
 * lambda's parameter names and its body as one canonical ESTree expression
 * (see normalize.ts), or a TranslationError quoting the text.
 *
 * Accepted: an arrow with an expression body or a block holding a single
 * `return` (after `var _a, _b;` temp declarations as tsc and esbuild emit
 * them), `function (p) { return … }`, and method shorthand. Parsing is done
 * once per text: results are cached by text, and `parseCount()` tells tests
 * how many real parses happened.
 */
import type { SourceRef, Span } from '../diagnostics.js'
import { lambdaError } from '../diagnostics.js'
import { parseExpression } from './acorn-parser.js'
import type { Expression, Node } from './estree.js'
import { NormalizeProblem, normalize } from './normalize.js'

export interface LambdaParam {
  readonly name: string
  readonly start: number
  readonly end: number
}

export interface ParsedLambda extends SourceRef {
  readonly params: readonly LambdaParam[]
  readonly body: Expression
  readonly span: Span
}

type AnyNode = Node & Record<string, unknown>

const cache = new Map<string, ParsedLambda>()
const MAX_CACHE = 5000
let parses = 0

/** How many texts were really parsed (cache misses) since the process started. */
export function parseCount(): number {
  return parses
}

/**
 * Parse a lambda's source text (cached by text). Throws TranslationError.
 * @example
 * parseLambda('(p, $) => p.age > $.minAge').params.map((p) => p.name) // ['p', '$']
 */
export function parseLambda(text: string): ParsedLambda {
  const hit = cache.get(text)
  if (hit !== undefined) return hit
  parses++
  const parsed = parseUncached(text)
  if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value as string)
  cache.set(text, parsed)
  return parsed
}

function parseUncached(text: string): ParsedLambda {
  const { fn, offset } = parseFunction(text)
  const src: SourceRef = { text, offset }
  try {
    if (fn.async === true) throw new NormalizeProblem(fn, 'An async function cannot be a query lambda.', 'Remove `async`: the lambda is translated to SQL, never run.')
    if (fn.generator === true) throw new NormalizeProblem(fn, 'A generator cannot be a query lambda.')
    const params = (fn.params as AnyNode[]).map(paramOf)
    const { expr, temps } = bodyOf(fn)
    const body = normalize(expr, temps, bodyOf)
    return { text, offset, params, body, span: { start: fn.start, end: fn.end } }
  } catch (e) {
    if (e instanceof NormalizeProblem) throw lambdaError(src, e.node, e.message, e.hint)
    if (e instanceof RangeError) throw lambdaError(src, null, 'The lambda is nested too deeply to translate.', 'Split it into simpler expressions.')
    throw e
  }
}

function parseFunction(text: string): { fn: AnyNode; offset: number } {
  let firstError: unknown = null
  for (const [prefix, suffix] of [['(', '\n)'], ['({', '\n})']] as const) {
    try {
      const expr = parseExpression(prefix + text + suffix) as unknown as AnyNode
      if (expr.type === 'ArrowFunctionExpression' || expr.type === 'FunctionExpression') return { fn: expr, offset: prefix.length }
      const props = expr.type === 'ObjectExpression' ? (expr.properties as AnyNode[]) : []
      const method = props.length === 1 && props[0]!.method === true ? (props[0]!.value as AnyNode) : null
      if (method !== null) return { fn: method, offset: prefix.length }
      throw lambdaError({ text, offset: prefix.length }, null, 'A query lambda must be a function, like `p => p.age > 18`.')
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e
      firstError ??= e
    }
  }
  const err = firstError as SyntaxError & { pos?: number }
  const message = err.message.replace(/\s*\(\d+:\d+\)$/, '')
  const pos = typeof err.pos === 'number' ? err.pos : 1
  if (/stack space/i.test(message)) throw lambdaError({ text, offset: 1 }, null, 'The lambda is nested too deeply to parse.', 'Split it into simpler expressions.')
  throw lambdaError({ text, offset: 1 }, { start: pos, end: pos + 1 }, `The lambda is not valid JavaScript: ${message}.`, 'A query lambda is one arrow function, like `p => p.age > 18` (native and bound functions have no source).')
}

function paramOf(p: AnyNode): LambdaParam {
  if (p.type !== 'Identifier') {
    throw new NormalizeProblem(p, 'Lambda parameters must be plain names.', 'Write `p => p.age` instead of destructuring or default values.')
  }
  return { name: p.name as string, start: p.start, end: p.end }
}

/** The single expression of a function body, and the temps its `var` declarations name. */
function bodyOf(fn: AnyNode): { expr: Expression; temps: ReadonlySet<string> } {
  const body = fn.body as AnyNode
  if (body.type !== 'BlockStatement') return { expr: body as unknown as Expression, temps: new Set() }
  const temps = new Set<string>()
  let result: Expression | null = null
  for (const stmt of body.body as AnyNode[]) {
    if (result !== null) throw new NormalizeProblem(stmt, 'Nothing may follow the `return` of a query lambda.')
    if (stmt.type === 'VariableDeclaration') {
      for (const d of stmt.declarations as AnyNode[]) {
        const id = d.id as AnyNode
        if (d.init !== null || id.type !== 'Identifier') throw new NormalizeProblem(d, 'A query lambda cannot declare variables.', 'Write the lambda as one expression.')
        temps.add(id.name as string)
      }
    } else if (stmt.type === 'ReturnStatement' && stmt.argument !== null) {
      result = stmt.argument as Expression
    } else if (!(stmt.type === 'ExpressionStatement' && typeof stmt.directive === 'string')) {
      throw new NormalizeProblem(stmt, 'A query lambda must be one expression or a block with a single `return`.', 'Write it as `p => <expression>`.')
    }
  }
  if (result === null) throw new NormalizeProblem(body, 'The lambda returns nothing.', 'Write it as `p => <expression>`.')
  return { expr: result, temps }
}
