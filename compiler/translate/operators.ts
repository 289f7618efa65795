/**
 * Operators: arithmetic, `+` on strings, comparisons, `&& || ! ?: ??`.
 * Chains like `a || b || c` and `a + b + c` are walked in a loop (a long
 * generated filter must not exhaust the stack). `&&`/`||` between
 * conditions are AND/OR; between other values they pick an operand, as in
 * JavaScript. Literal arithmetic is folded in JavaScript, so its result is
 * exactly JavaScript's; other numbers are never spliced into SQL (#24).
 */
import type { BinaryExpression, ConditionalExpression, Expression, LogicalExpression, Node, UnaryExpression } from '../parse/estree.js'
import { fail, tx, type TCtx } from './context.js'
import { node, type ArithOp, type Expr } from './ir.js'
import { compare, not } from './compare.js'
import { concatParts } from './concat.js'
import { aType, adoptType, arithType, isText, numberType, unify } from './types.js'
import { FALSE, NULL, TRUE, asExpr, asPred, exprVal, type TVal } from './values.js'

const ARITH: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%'])
const COMPARE: ReadonlySet<string> = new Set(['===', '==', '!==', '!=', '<', '<=', '>', '>='])

/** A left-nested chain of binary operators, folded in a loop. */
export function translateBinary(ctx: TCtx, n: BinaryExpression): TVal {
  const spine: BinaryExpression[] = []
  let cur: Expression = n
  while (cur.type === 'BinaryExpression') {
    spine.push(cur)
    cur = cur.left as Expression
  }
  let acc = tx(ctx, cur)
  for (let i = spine.length - 1; i >= 0; i--) {
    const b = spine[i]!
    acc = binary(ctx, b, acc, tx(ctx, b.right))
  }
  return acc
}

function binary(ctx: TCtx, n: BinaryExpression, l: TVal, r: TVal): TVal {
  const op = n.operator
  if (COMPARE.has(op)) return exprVal(compare(ctx, n, op, l, r))
  if (!ARITH.has(op)) {
    const hint = op === '**' ? 'Exponentiation is not translated; compute powers of params before the query.' : 'Use arithmetic, comparisons and logical operators.'
    throw fail(ctx, n, `The operator ${op} cannot be translated to SQL.`, hint)
  }
  const le = asExpr(ctx, l, n.left)
  const re = asExpr(ctx, r, n.right)
  if (op === '+' && (isText(le.type) || isText(re.type) || le.kind === 'concat' || re.kind === 'concat')) {
    return exprVal(concatParts(ctx, [{ expr: le, at: n.left }, { expr: re, at: n.right }], false))
  }
  return exprVal(arith(ctx, n, op as ArithOp, le, re))
}

function arith(ctx: TCtx, n: BinaryExpression, op: ArithOp, l0: Expr, r0: Expr): Expr {
  for (const [e, at] of [[l0, n.left], [r0, n.right]] as const) {
    if (e.type === 'boolean') throw fail(ctx, at, 'Arithmetic on a boolean is not allowed (SEMANTICS #31).', 'Use a condition instead: (p.flag ? 1 : 0).')
    if (e.type === 'decimal') throw fail(ctx, at, 'A Decimal is a string in JavaScript, so arithmetic on it is not translated.', 'Compare Decimal values, or use a Number attribute.')
  }
  const type = arithType(op, l0.type, r0.type)
  if (type === null) throw fail(ctx, n, `The operator ${op} cannot combine ${aType(l0.type)} and ${aType(r0.type)}.`, 'Arithmetic works on numbers; + also joins strings.')
  if (l0.kind === 'const' && r0.kind === 'const' && typeof l0.value === 'number' && typeof r0.value === 'number') return foldArith(op, l0.value, r0.value)
  const left = adoptType(l0, r0)
  const right = adoptType(r0, l0)
  const zeroSafe = right.kind === 'const' && right.value !== 0
  const nullable = left.nullable || right.nullable || ((op === '/' || op === '%') && !zeroSafe)
  return node({ kind: 'arith', type, nullable, op, left, right })
}

function foldArith(op: ArithOp, a: number, b: number): Expr {
  const v = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : a % b
  if (!Number.isFinite(v)) return NULL
  return node({ kind: 'const', type: op === '/' ? 'number' : numberType(v), nullable: false, value: v })
}

/** A condition: `&&`, `||`, `!` and `?:` become AND, OR, NOT and CASE of conditions. */
export function translatePred(ctx: TCtx, n: Expression): Expr {
  if (n.type === 'LogicalExpression' && n.operator !== '??') {
    const items = chain(n).map((e) => translatePred(ctx, e))
    return logic(n.operator === '&&' ? 'and' : 'or', items)
  }
  if (n.type === 'UnaryExpression' && n.operator === '!') return not(translatePred(ctx, n.argument))
  if (n.type === 'ConditionalExpression') {
    const test = translatePred(ctx, n.test)
    if (test === TRUE || test === FALSE) return translatePred(ctx, test === TRUE ? n.consequent : n.alternate)
    return node({ kind: 'cond', type: 'boolean', nullable: false, test, then: translatePred(ctx, n.consequent), else: translatePred(ctx, n.alternate) })
  }
  return asPred(ctx, tx(ctx, n), n)
}

/** The operands of a chain of one logical operator, in order. */
function chain(n: LogicalExpression): Expression[] {
  const out: Expression[] = []
  let cur: Expression = n
  while (cur.type === 'LogicalExpression' && cur.operator === n.operator) {
    out.push(cur.right)
    cur = cur.left
  }
  out.push(cur)
  return out.reverse()
}

/** AND/OR of conditions, flattened, with constants folded. */
export function logic(kind: 'and' | 'or', items: readonly Expr[]): Expr {
  const unit = kind === 'and' ? TRUE : FALSE
  const zero = kind === 'and' ? FALSE : TRUE
  const flat: Expr[] = []
  for (const e of items) {
    if (e === zero) return zero
    if (e === unit) continue
    if (e.kind === kind) flat.push(...e.items)
    else flat.push(e)
  }
  if (flat.length === 0) return unit
  if (flat.length === 1) return flat[0]!
  return node({ kind, type: 'boolean', nullable: flat.some((e) => e.nullable), items: flat })
}

export function translateLogical(ctx: TCtx, n: LogicalExpression): TVal {
  const items = chain(n)
  if (n.operator === '??') {
    const exprs = items.map((e) => asExpr(ctx, tx(ctx, e), e))
    const kept: Expr[] = []
    for (const e of exprs) {
      if (e.type === 'null') continue
      kept.push(e)
      if (!e.nullable) break
    }
    if (kept.length === 0) return exprVal(NULL)
    if (kept.length === 1) return exprVal(kept[0]!)
    const type = kept.reduce<Expr['type']>((t, e) => unify(t, e.type), 'null')
    return exprVal(node({ kind: 'coalesce', type, nullable: kept[kept.length - 1]!.nullable, items: kept.map((e) => adoptType(e, kept[0]!)) }))
  }
  const vals = items.map((e) => tx(ctx, e))
  const exprs = vals.map((v, i) => (v.t === 'expr' ? v.expr : null) ?? asExpr(ctx, v, items[i]!))
  if (exprs.every((e) => e.type === 'boolean')) return exprVal(logic(n.operator === '&&' ? 'and' : 'or', exprs))
  let acc = exprs[0]!
  for (let i = 1; i < exprs.length; i++) {
    const right = exprs[i]!
    acc = node({ kind: 'pick', op: n.operator as '&&' | '||', type: unify(acc.type, right.type), nullable: acc.nullable || right.nullable, left: acc, right })
  }
  return exprVal(acc)
}

export function translateUnary(ctx: TCtx, n: UnaryExpression): TVal {
  switch (n.operator) {
    case '!': return exprVal(not(translatePred(ctx, n.argument)))
    case '-':
    case '+': {
      const arg = asExpr(ctx, tx(ctx, n.argument), n.argument)
      if (arg.type !== 'int' && arg.type !== 'number' && arg.type !== 'bigint' && arg.type !== 'unknown') {
        throw fail(ctx, n, `Unary ${n.operator} needs a number, found ${aType(arg.type)}${arg.type === 'boolean' ? ' (SEMANTICS #31)' : ''}.`)
      }
      if (n.operator === '+') return exprVal(arg)
      if (arg.kind === 'const' && typeof arg.value === 'number') return exprVal(node({ ...arg, value: -arg.value }))
      return exprVal(node({ kind: 'neg', type: arg.type, nullable: arg.nullable, arg }))
    }
    default:
      throw fail(ctx, n, `The operator ${n.operator} cannot be translated to SQL.`, n.operator === 'typeof' ? 'Types are known from the model; compare values instead.' : 'Use comparisons and arithmetic.')
  }
}

export function translateConditional(ctx: TCtx, n: ConditionalExpression): TVal {
  const test = translatePred(ctx, n.test)
  if (test === TRUE || test === FALSE) return tx(ctx, test === TRUE ? n.consequent : n.alternate)
  const a = asBranch(ctx, tx(ctx, n.consequent), n.consequent)
  const b = asBranch(ctx, tx(ctx, n.alternate), n.alternate)
  return exprVal(node({ kind: 'cond', type: unify(a.type, b.type), nullable: a.nullable || b.nullable, test, then: adoptType(a, b), else: adoptType(b, a) }))
}

function asBranch(ctx: TCtx, v: TVal, at: Node): Expr {
  if (v.t === 'entity') throw fail(ctx, at, 'A conditional cannot choose between entities in a query.', 'Choose between their attributes instead.')
  return asExpr(ctx, v, at)
}
