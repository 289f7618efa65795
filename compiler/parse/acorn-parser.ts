/**
 * acorn, with one change: chains of binary operators (`a || b || c …`) are
 * parsed in a loop instead of one recursive call per operator. acorn's own
 * `parseExprOp` recurses once per operator, so a generated lambda with a few
 * thousand `||` terms (a 100 KB filter) would exhaust the stack. The loop is
 * acorn's own algorithm with its tail call written as iteration.
 */
import { Parser, tokTypes as tt, type Expression, type Options } from 'acorn'

interface TokenType {
  readonly binop?: number | null
}

/** The parser internals `parseExprOp` uses (acorn's plugin interface, untyped in its .d.ts). */
interface ParserInternals {
  type: TokenType
  value: string
  start: number
  startLoc: unknown
  next(): void
  parseMaybeUnary(a: null, b: boolean, c: boolean, forInit: boolean): Expression
  parseExprOp(left: Expression, startPos: number, startLoc: unknown, minPrec: number, forInit: boolean): Expression
  buildBinary(startPos: number, startLoc: unknown, left: Expression, right: Expression, op: string, logical: boolean): Expression
  raiseRecoverable(pos: number, message: string): void
}

const logicalOR = tt.logicalOR as TokenType
const logicalAND = tt.logicalAND as TokenType
const coalesceOp = tt.coalesce as TokenType
const inOp = tt._in as TokenType

function iterativeBinaryChains(Base: typeof Parser): typeof Parser {
  return class extends Base {
    parseExprOp(left: Expression, leftStartPos: number, leftStartLoc: unknown, minPrec: number, forInit: boolean): Expression {
      const p = this as unknown as ParserInternals
      for (;;) {
        let prec = p.type.binop
        if (prec === null || prec === undefined || (forInit && p.type === inOp) || !(prec > minPrec)) return left
        const logical = p.type === logicalOR || p.type === logicalAND
        const coalesce = p.type === coalesceOp
        if (coalesce) prec = logicalAND.binop as number
        const op = p.value
        p.next()
        const startPos = p.start
        const startLoc = p.startLoc
        const right = p.parseExprOp(p.parseMaybeUnary(null, false, false, forInit), startPos, startLoc, prec, forInit)
        left = p.buildBinary(leftStartPos, leftStartLoc, left, right, op, logical || coalesce)
        if ((logical && p.type === coalesceOp) || (coalesce && (p.type === logicalOR || p.type === logicalAND))) {
          p.raiseRecoverable(p.start, 'Logical expressions and coalesce expressions cannot be mixed. Wrap either by parentheses')
        }
      }
    }
  } as typeof Parser
}

const LambdaParser = Parser.extend(iterativeBinaryChains)
const OPTIONS: Options = { ecmaVersion: 'latest', sourceType: 'script' }

/** Parse one expression that spans the whole input. */
export function parseExpression(input: string): Expression {
  const program = LambdaParser.parse(input, OPTIONS)
  const stmt = program.body[0]
  if (program.body.length !== 1 || stmt === undefined || stmt.type !== 'ExpressionStatement') {
    throw new SyntaxError('expected a single function expression (0:0)')
  }
  return stmt.expression
}
