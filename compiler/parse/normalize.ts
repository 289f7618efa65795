/**
 * Canonical ESTree for what compilers emit. In: an expression from a user
 * lambda as tsc, esbuild (and so tsx) or the author wrote it. Out: a new tree
 * (the input is never changed) where
 *
 * - `(0, pinto_1.count)` and other `(0, f)` sequences are just `f`;
 * - `void 0` is the identifier `undefined`; `!0` / `!1` are `true` / `false`;
 * - down-levelled optional chains, `(_a = c.owner) === null || _a === void 0
 *   ? void 0 : _a.name` (tsc) or `(_a = c.owner) == null ? void 0 : _a.name`
 *   (esbuild), are `c.owner.name` again (navigation in SQL propagates null);
 * - down-levelled `??`, `(_a = x) !== null && _a !== void 0 ? _a : y` or
 *   `(_a = x) != null ? _a : y`, is `x ?? y` again;
 * - nested functions with a block body (`c => { var _a; return … }`) become
 *   expression-bodied arrows.
 *
 * Chains of binary operators are walked in a loop, so a long `||` chain costs
 * no stack; any other nesting deeper than `MAX_DEPTH` is refused.
 */
import type { Expression, Node } from './estree.js'

export const MAX_DEPTH = 300
const MAX_FUNCTION_DEPTH = 20

/** What normalize reports when a block body or nesting is not acceptable. */
export class NormalizeProblem {
  constructor(readonly node: Node, readonly message: string, readonly hint?: string) {}
}

type AnyNode = Node & Record<string, unknown>

function isIdent(n: unknown, name?: string): n is AnyNode & { name: string } {
  const node = n as AnyNode | null | undefined
  return node?.type === 'Identifier' && (name === undefined || node.name === name)
}
function isLiteral(n: unknown, value: unknown): boolean {
  const node = n as AnyNode | null | undefined
  return node?.type === 'Literal' && node.value === value
}
function isUndefined(n: unknown): boolean {
  const node = n as AnyNode | null | undefined
  return isIdent(n, 'undefined') || (node?.type === 'UnaryExpression' && node.operator === 'void' && isLiteral(node.argument, 0))
}
function isNullLit(n: unknown): boolean {
  return isLiteral(n, null)
}
function bin(n: unknown, op: string): AnyNode | null {
  const node = n as AnyNode | null | undefined
  return node !== null && node !== undefined && (node.type === 'BinaryExpression' || node.type === 'LogicalExpression') && node.operator === op ? node : null
}

/** `(T = X)` where T is a temp: [T, X]. */
function tempAssign(n: unknown, temps: ReadonlySet<string>): [string, AnyNode] | null {
  const node = n as AnyNode
  if (node?.type !== 'AssignmentExpression' || node.operator !== '=' || !isIdent(node.left) || !temps.has(node.left.name)) return null
  return [node.left.name, node.right as AnyNode]
}

/** `(T = X) === null || T === void 0` or `(T = X) == null`: [T, X]; `positive` for the `!==`/`!=` forms. */
function nullishTest(test: unknown, temps: ReadonlySet<string>, positive: boolean): [string, AnyNode] | null {
  const loose = bin(test, positive ? '!=' : '==')
  if (loose !== null && isNullLit(loose.right)) return tempAssign(loose.left, temps)
  const both = bin(test, positive ? '&&' : '||')
  if (both === null) return null
  const first = bin(both.left, positive ? '!==' : '===')
  const second = bin(both.right, positive ? '!==' : '===')
  if (first === null || second === null || !isNullLit(first.right) || !isUndefined(second.right)) return null
  const assigned = tempAssign(first.left, temps)
  if (assigned !== null) return isIdent(second.left, assigned[0]) ? assigned : null
  if (isIdent(first.left) && isIdent(second.left, first.left.name)) return [first.left.name, first.left]
  return null
}

function substitute(node: AnyNode, name: string, value: AnyNode): AnyNode {
  return mapTree(node, (n) => (isIdent(n, name) ? value : null))
}

/** The keys of a node type that hold child expressions (other node types are leaves here). */
const CHILD_KEYS: Readonly<Record<string, readonly string[]>> = {
  MemberExpression: ['object', 'property'],
  CallExpression: ['callee', 'arguments'],
  NewExpression: ['callee', 'arguments'],
  UnaryExpression: ['argument'],
  UpdateExpression: ['argument'],
  AwaitExpression: ['argument'],
  SpreadElement: ['argument'],
  ConditionalExpression: ['test', 'consequent', 'alternate'],
  AssignmentExpression: ['left', 'right'],
  ArrayExpression: ['elements'],
  ObjectExpression: ['properties'],
  Property: ['key', 'value'],
  TemplateLiteral: ['expressions'],
  TaggedTemplateExpression: ['tag', 'quasi'],
  ChainExpression: ['expression'],
  SequenceExpression: ['expressions'],
  ArrowFunctionExpression: ['body'],
  FunctionExpression: ['body'],
}

/** Rebuild `node` bottom-up, letting `replace` swap any node; unchanged subtrees are shared. */
function mapTree(node: AnyNode, replace: (n: AnyNode) => AnyNode | null, depth = 0): AnyNode {
  if (depth > MAX_DEPTH) throw new NormalizeProblem(node, 'The lambda is nested too deeply.', `Split it into several filters or simpler expressions (at most ${MAX_DEPTH} levels).`)
  const direct = replace(node)
  if (direct !== null) return direct
  if ((node.type === 'BinaryExpression' || node.type === 'LogicalExpression')) return mapChain(node, replace, depth)
  const keys = CHILD_KEYS[node.type]
  if (keys === undefined) return node
  let out: AnyNode | null = null
  for (const key of keys) {
    const value = node[key]
    if (Array.isArray(value)) {
      let mapped: unknown[] | null = null
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i]
        const m = isNode(v) ? mapTree(v, replace, depth + 1) : v
        if (m !== v) (mapped ??= [...value])[i] = m
      }
      if (mapped !== null) (out ??= { ...node })[key] = mapped
    } else if (isNode(value)) {
      const mapped = mapTree(value, replace, depth + 1)
      if (mapped !== value) (out ??= { ...node })[key] = mapped
    }
  }
  return out ?? node
}

/** A left-nested chain of binary/logical nodes, mapped in a loop. */
function mapChain(node: AnyNode, replace: (n: AnyNode) => AnyNode | null, depth: number): AnyNode {
  const spine: AnyNode[] = []
  let cur: AnyNode = node
  while ((cur.type === 'BinaryExpression' || cur.type === 'LogicalExpression') && (spine.length === 0 || replace(cur) === null)) {
    spine.push(cur)
    cur = cur.left as AnyNode
  }
  let left = mapTree(cur, replace, depth + 1)
  for (let i = spine.length - 1; i >= 0; i--) {
    const link = spine[i]!
    const right = mapTree(link.right as AnyNode, replace, depth + 1)
    left = left === link.left && right === link.right ? link : { ...link, left, right }
  }
  return left
}

function isNode(v: unknown): v is AnyNode {
  return typeof v === 'object' && v !== null && typeof (v as AnyNode).type === 'string'
}

/** Canonical form of one expression; `temps` are the names declared by `var _a, _b;` in the body. */
export function normalize(expr: Expression, temps: ReadonlySet<string>, bodyOf: (fn: AnyNode) => { expr: Expression; temps: ReadonlySet<string> }, fnDepth = 0): Expression {
  if (fnDepth > MAX_FUNCTION_DEPTH) throw new NormalizeProblem(expr, 'The lambda nests too many functions.', `Use at most ${MAX_FUNCTION_DEPTH} nested lambdas.`)
  const step = (n: AnyNode): AnyNode | null => {
    switch (n.type) {
      case 'SequenceExpression': {
        const items = n.expressions as AnyNode[]
        const last = items[items.length - 1]!
        return items.slice(0, -1).every((i) => i.type === 'Literal') ? mapTree(last, step) : null
      }
      case 'UnaryExpression':
        if (n.operator === 'void' && isLiteral(n.argument, 0)) return { type: 'Identifier', name: 'undefined', start: n.start, end: n.end }
        if (n.operator === '!' && (isLiteral(n.argument, 0) || isLiteral(n.argument, 1))) {
          return { type: 'Literal', value: isLiteral(n.argument, 0), raw: String(isLiteral(n.argument, 0)), start: n.start, end: n.end }
        }
        return null
      case 'ConditionalExpression': return desugarConditional(n)
      case 'ArrowFunctionExpression':
      case 'FunctionExpression': {
        const inner = bodyOf(n)
        const body = normalize(inner.expr, new Set([...temps, ...inner.temps]), bodyOf, fnDepth + 1) as unknown as AnyNode
        return { type: 'ArrowFunctionExpression', start: n.start, end: n.end, params: n.params, body, expression: true, async: n.async, generator: n.generator, id: null }
      }
      default: return null
    }
  }
  const desugarConditional = (n: AnyNode): AnyNode | null => {
    const optional = isUndefined(n.consequent) ? nullishTest(n.test, temps, false) : null
    if (optional !== null) {
      const [name, value] = optional
      const target = mapTree(value, step)
      return mapTree(substitute(n.alternate as AnyNode, name, target), step)
    }
    const coalesce = nullishTest(n.test, temps, true)
    if (coalesce !== null && isIdent(n.consequent, coalesce[0])) {
      const left = mapTree(coalesce[1], step)
      const right = mapTree(n.alternate as AnyNode, step)
      return { type: 'LogicalExpression', operator: '??', left, right, start: n.start, end: n.end }
    }
    return null
  }
  return mapTree(expr as unknown as AnyNode, step) as unknown as Expression
}
