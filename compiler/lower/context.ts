/**
 * The lowering context: the scope (FROM clause) being built and the two
 * entry points of expression lowering, carried here so that the modules for
 * functions and collections need not import lower-expr.ts in a cycle.
 */
import type { Expr } from '../translate/ir.js'
import type { Scope } from './scope.js'
import type { SqlExpr } from './sql.js'

export interface Lowerers {
  readonly value: (lc: LCtx, e: Expr) => SqlExpr
  readonly pred: (lc: LCtx, e: Expr) => SqlExpr
}

export interface LCtx {
  readonly scope: Scope
  readonly lower: Lowerers
}

export function lowerValue(lc: LCtx, e: Expr): SqlExpr {
  return lc.lower.value(lc, e)
}

export function lowerPred(lc: LCtx, e: Expr): SqlExpr {
  return lc.lower.pred(lc, e)
}
