/**
 * String, number and date functions with JavaScript meaning. Indexes are
 * 0-based in JavaScript and 1-based in SQL (#27); `slice` counts negative
 * indexes from the end (#28); `indexOf` is a position minus one (#29);
 * `Math.round` is `FLOOR(x + 0.5)` (#21, #22). With literal indexes the
 * arithmetic is done here, so the SQL stays a plain `SUBSTR(s, ?, ?)`.
 */
import { assertNever, type Expr, type IrFn } from '../translate/ir.js'
import { lowerValue, type LCtx } from './context.js'
import type { SqlExpr, SqlFn } from './sql.js'

type FnExpr = Extract<Expr, { kind: 'fn' }>

const DIRECT: Partial<Record<IrFn, SqlFn>> = {
  lower: 'lower', upper: 'upper', trim: 'trim', length: 'length', abs: 'abs', floor: 'floor', ceil: 'ceil', trunc: 'trunc',
  least: 'least', greatest: 'greatest', year: 'year', month: 'month', day: 'day', weekday: 'weekday',
  hours: 'hours', minutes: 'minutes', seconds: 'seconds', milliseconds: 'milliseconds',
}

function num(value: number): SqlExpr {
  return { k: 'num', value, nullable: false }
}
function intSlot(value: number): SqlExpr {
  return { k: 'param', slot: { from: 'const', value, type: 'int' }, cast: 'int', nullable: false }
}
function fn(name: SqlFn, args: readonly SqlExpr[], nullable: boolean): SqlExpr {
  return { k: 'fn', name, args, nullable }
}
function add(l: SqlExpr, r: SqlExpr): SqlExpr {
  return { k: 'bin', op: '+', l, r, nullable: l.nullable || r.nullable }
}
function sub(l: SqlExpr, r: SqlExpr): SqlExpr {
  return { k: 'bin', op: '-', l, r, nullable: l.nullable || r.nullable }
}
function constInt(e: Expr | undefined): number | null {
  return e?.kind === 'const' && typeof e.value === 'number' && Number.isInteger(e.value) ? e.value : null
}

/** An index argument as an SQL integer. */
function index(lc: LCtx, e: Expr): SqlExpr {
  if (e.kind === 'param') return { k: 'param', slot: { from: 'lambda', lambda: e.lambda, path: e.path, type: 'int' }, cast: 'int', nullable: false }
  const v = lowerValue(lc, e)
  return e.type === 'int' ? v : { k: 'cast', arg: v, to: 'int', nullable: v.nullable }
}

function substring(lc: LCtx, e: FnExpr, s: SqlExpr): SqlExpr {
  const [, a, b] = e.args
  const ca = constInt(a)
  const cb = constInt(b)
  if (b === undefined) {
    if (ca !== null) return fn('substr', [s, intSlot(Math.max(ca, 0) + 1)], e.nullable)
    return fn('substr', [s, add(fn('greatest', [index(lc, a!), num(0)], false), num(1))], e.nullable)
  }
  if (ca !== null && cb !== null) {
    const lo = Math.max(Math.min(ca, cb), 0)
    const hi = Math.max(Math.max(ca, cb), 0)
    return fn('substr', [s, intSlot(lo + 1), intSlot(hi - lo)], e.nullable)
  }
  const x = index(lc, a!)
  const y = index(lc, b)
  const lo = fn('greatest', [fn('least', [x, y], false), num(0)], false)
  const hi = fn('greatest', [x, y, num(0)], false)
  return fn('substr', [s, add(lo, num(1)), sub(hi, lo)], e.nullable)
}

/** A slice bound: non-negative as is, negative counted from the end of `s`, clamped at 0. */
function sliceBound(lc: LCtx, e: Expr, s: SqlExpr): SqlExpr {
  const c = constInt(e)
  if (c !== null) return c >= 0 ? intSlot(c) : fn('greatest', [add(fn('length', [s], false), intSlot(c)), num(0)], false)
  const x = index(lc, e)
  return {
    k: 'case', nullable: false, else: x,
    whens: [{ when: { k: 'cmp', op: '<', l: x, r: num(0), nullable: false }, then: fn('greatest', [add(fn('length', [s], false), x), num(0)], false) }],
  }
}

function slice(lc: LCtx, e: FnExpr, s: SqlExpr): SqlExpr {
  const [, a, b] = e.args
  const ca = constInt(a)
  const cb = constInt(b)
  if (b === undefined) {
    if (ca !== null) return ca >= 0 || Object.is(ca, -0) ? fn('substr', [s, intSlot(Math.max(ca, 0) + 1)], e.nullable) : fn('right', [s, intSlot(-ca)], e.nullable)
    const x = index(lc, a!)
    return {
      k: 'case', nullable: e.nullable, else: fn('substr', [s, add(x, num(1))], e.nullable),
      whens: [{ when: { k: 'cmp', op: '<', l: x, r: num(0), nullable: false }, then: fn('right', [s, { k: 'neg', arg: x, nullable: false }], e.nullable) }],
    }
  }
  if (ca !== null && cb !== null && ca >= 0 && cb >= 0) return fn('substr', [s, intSlot(ca + 1), intSlot(Math.max(cb - ca, 0))], e.nullable)
  const start = sliceBound(lc, a!, s)
  const end = sliceBound(lc, b, s)
  return fn('substr', [s, add(start, num(1)), fn('greatest', [sub(end, start), num(0)], false)], e.nullable)
}

export function lowerFn(lc: LCtx, e: FnExpr): SqlExpr {
  const direct = DIRECT[e.fn]
  if (direct !== undefined) return fn(direct, e.args.map((a) => lowerValue(lc, a)), e.nullable)
  const s = lowerValue(lc, e.args[0]!)
  switch (e.fn) {
    case 'round': {
      const half: SqlExpr = { k: 'param', slot: { from: 'const', value: 0.5, type: 'number' }, cast: 'number', nullable: false }
      return fn('floor', [add(s, half)], e.nullable)
    }
    case 'indexOf': return sub(fn('instr', [s, lowerValue(lc, e.args[1]!)], e.nullable), num(1))
    case 'substring': return substring(lc, e, s)
    case 'slice': return slice(lc, e, s)
    case 'lower': case 'upper': case 'trim': case 'length': case 'abs': case 'floor': case 'ceil': case 'trunc':
    case 'least': case 'greatest': case 'year': case 'month': case 'day': case 'weekday': case 'hours': case 'minutes':
    case 'seconds': case 'milliseconds':
      return fn(DIRECT[e.fn]!, [s], e.nullable)
    default: return assertNever(e.fn)
  }
}
