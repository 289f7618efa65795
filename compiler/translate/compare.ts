/**
 * Comparisons with JavaScript meaning. `x === null` (or a param that is null
 * at run time, or `undefined`) tests for null; on a JSON path `=== null`
 * tests for an explicit JSON null (a missing key is undefined) and
 * `== null` for null or missing; entities compare by primary
 * key; a string never equals a number (#26), so mixing them is refused; a
 * literal or param takes the type of the column it meets. The IR `compare`
 * keeps JavaScript semantics (`!==` includes nulls); lowering makes SQL agree.
 */
import type { Node } from '../parse/estree.js'
import { fail, type TCtx } from './context.js'
import { node, type CompareOp, type EntityExpr, type Expr } from './ir.js'
import { aType, adoptType, comparable, fractionVsInt, numberType } from './types.js'
import { FALSE, TRUE, asEntity, asExpr, describeVal, type TVal } from './values.js'

const OPS: Readonly<Record<string, CompareOp>> = { '===': '==', '==': '==', '!==': '!=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' }

function isNullish(v: TVal): boolean {
  return (v.t === 'expr' && v.expr.kind === 'const' && v.expr.value === null) || (v.t === 'params' && v.shape.k === 'null')
}
function isEntityish(v: TVal): boolean {
  return v.t === 'entity' || (v.t === 'params' && v.shape.k === 'entity')
}

export function not(e: Expr): Expr {
  if (e === TRUE) return FALSE
  if (e === FALSE) return TRUE
  if (e.kind === 'not') return e.arg
  return node({ kind: 'not', type: 'boolean', nullable: false, arg: e })
}

/** `x IS NULL` for a scalar or entity; a non-nullable operand gives a constant. */
export function isNull(arg: Expr | EntityExpr): Expr {
  if (!arg.nullable) return FALSE
  if (arg.kind === 'const') return TRUE
  return node({ kind: 'isNull', type: 'boolean', nullable: false, arg })
}

/** Translate `l <op> r` (op as written: ===, !=, <, …). */
export function compare(ctx: TCtx, at: Node, written: string, l: TVal, r: TVal): Expr {
  const op = OPS[written]
  if (op === undefined) throw fail(ctx, at, `Unknown comparison ${written}.`)
  const equality = op === '==' || op === '!='
  if (isNullish(l) || isNullish(r)) {
    if (!equality) return FALSE
    const other = isNullish(l) ? r : l
    if (isNullish(other)) return op === '==' ? TRUE : FALSE
    if ((written === '===' || written === '!==') && other.t === 'expr' && other.expr.kind === 'json') {
      // A missing key is undefined, and undefined !== null: only an explicit JSON null matches.
      const json = node<Expr>({ kind: 'jsonNull', type: 'boolean', nullable: false, arg: other.expr.arg, path: other.expr.path })
      return op === '==' ? json : not(json)
    }
    const test = isNull(other.t === 'entity' ? other.ref : asExpr(ctx, other, at))
    return op === '==' ? test : not(test)
  }
  if (isEntityish(l) || isEntityish(r)) {
    if (!equality) throw fail(ctx, at, 'Entities can only be compared with === or !==.', 'Compare attributes instead: a.age < b.age.')
    const le = l.t === 'entity' ? l.ref : null
    const re = r.t === 'entity' ? r.ref : null
    if (le === null && re === null) throw fail(ctx, at, 'Two entity params are compared; compare them before the query.')
    const left = asEntity(ctx, l, at, re?.entity ?? null)
    const right = asEntity(ctx, r, at, left.entity)
    if (left.entity.root !== right.entity.root) {
      throw fail(ctx, at, `${left.entity.name} and ${right.entity.name} entities are never equal.`, 'Compare entities of the same kind.')
    }
    const eq = node<Expr>({ kind: 'entityEq', type: 'boolean', nullable: false, left, right })
    return op === '==' ? eq : not(eq)
  }
  if (l.t !== 'expr' || r.t !== 'expr') {
    const odd = l.t !== 'expr' ? l : r
    throw fail(ctx, at, `Cannot compare ${describeVal(odd)} with ${written}.`, 'JavaScript compares arrays and objects by identity; compare their values one by one.')
  }
  if (!comparable(l.expr.type, r.expr.type)) {
    throw fail(ctx, at, `${cap(aType(l.expr.type))} is compared with ${aType(r.expr.type)}; JavaScript never finds them equal (SEMANTICS #26).`, 'Compare values of the same type, e.g. convert the param before the query.')
  }
  if (fractionVsInt(r.expr, l.expr)) return fractionCompare(op, l.expr, r.expr.value as number)
  if (fractionVsInt(l.expr, r.expr)) return fractionCompare(FLIP[op], r.expr, l.expr.value as number)
  const left = adoptType(l.expr, r.expr)
  const right = adoptType(r.expr, l.expr)
  if (!equality && (left.type === 'boolean' || right.type === 'boolean')) {
    throw fail(ctx, at, 'Booleans cannot be ordered with <, <=, > or >=.', 'Compare with === true or === false.')
  }
  if (left.kind === 'const' && right.kind === 'const') return foldCompare(op, left.value, right.value) ? TRUE : FALSE
  return node({ kind: 'compare', type: 'boolean', nullable: false, op, left, right })
}

const FLIP: Readonly<Record<CompareOp, CompareOp>> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' }

/**
 * `x op c` for an integer expression `x` and a literal `c` with a fraction:
 * never equal; an order against the nearest integer, so `p.age < 2.5` is
 * `p.age < 3` and an index on the column stays usable.
 */
function fractionCompare(op: CompareOp, x: Expr, c: number): Expr {
  if (op === '==') return FALSE
  if (op === '!=') return TRUE
  const whole = (op === '<' || op === '>=' ? Math.ceil(c) : Math.floor(c)) + 0
  const bound = node<Expr>({ kind: 'const', type: numberType(whole), nullable: false, value: whole })
  return node({ kind: 'compare', type: 'boolean', nullable: false, op, left: x, right: adoptType(bound, x) })
}

function foldCompare(op: CompareOp, a: unknown, b: unknown): boolean {
  const x = a as number
  const y = b as number
  switch (op) {
    case '==': return a === b
    case '!=': return a !== b
    case '<': return x < y
    case '<=': return x <= y
    case '>': return x > y
    case '>=': return x >= y
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
