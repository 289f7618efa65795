/**
 * IR expression → SQL expression. Each IR node with JavaScript meaning gets
 * SQL that computes the same thing: true division with NULLIF for zero,
 * null-safe equality between two nullable operands (#11), `!==` as a
 * pending JavaScript negation (so it includes nulls, #12), truthiness per
 * type (#32), IN lists without nulls (#14–#16; a long list param as one
 * slot holding the whole list), literals and params as bound
 * slots. Null semantics of negation are settled later by null-semantics.ts.
 */
import type { ParamSlot } from '../query-spec.js'
import type { ScalarType } from '../schema.js'
import { assertNever, type EntityExpr, type Expr, type ValueType } from '../translate/ir.js'
import { isLoose, isNumeric, isText } from '../translate/types.js'
import { lowerCollAgg } from './collections.js'
import { lowerFn } from './functions.js'
import { entityPk } from './entities.js'
import type { LCtx, Lowerers } from './context.js'
import { FALSE_SQL, NULL_SQL, TRUE_SQL, decKey, isNullSql, minMaxSql, sqlLogic, sumAvgSql, type SqlExpr } from './sql.js'


export function slotType(t: ValueType): ScalarType | null {
  return t === 'null' || t === 'unknown' ? null : t
}

function isBound(e: Expr): boolean {
  return e.kind === 'param' || (e.kind === 'const' && e.value !== null && typeof e.value !== 'boolean')
}

/** A literal or param as a bound slot; `typed` when the position gives its type (compared with a column). */
export function bound(e: Extract<Expr, { kind: 'param' | 'const' }>, typed: boolean): SqlExpr {
  const type = slotType(e.type)
  const cast = typed ? null : type
  if (e.kind === 'param') return { k: 'param', slot: { from: 'lambda', lambda: e.lambda, path: e.path, type }, cast, nullable: false }
  if (e.value === null) return NULL_SQL
  if (typeof e.value === 'boolean') return e.value ? TRUE_SQL : FALSE_SQL
  return { k: 'param', slot: { from: 'const', value: e.value, type }, cast, nullable: false }
}

/**
 * Does the position give a bound value its type? Yes when the other operand
 * has the same type (or none): PostgreSQL then infers it, and an index on
 * the column stays usable. A double met by an int column is cast, or
 * PostgreSQL would read 2.5 as an integer.
 */
function typedBy(e: Expr, other: Expr): boolean {
  return e.type === other.type || isLoose(other.type)
}

/** Lower an operand whose type the other operand fixes when it is a column or expression. */
function operand(lc: LCtx, e: Expr, other: Expr): SqlExpr {
  if ((e.kind === 'param' || e.kind === 'const') && !isBound(other)) return bound(e, typedBy(e, other))
  return lowerValue(lc, e)
}

/** Lower an expression used as a value (conditions become two-valued). */
function lowerValue(lc: LCtx, e: Expr): SqlExpr {
  if (e.type === 'boolean' && e.kind !== 'column' && e.kind !== 'param' && e.kind !== 'const') {
    const p = lowerPred(lc, e)
    return p.k === 'kw' ? p : { k: 'asValue', arg: p, nullable: false }
  }
  return lowerScalar(lc, e)
}

/** Lower a condition. */
function lowerPred(lc: LCtx, e: Expr): SqlExpr {
  return lowerScalar(lc, e)
}

/** Expression lowering's entry points, for the lowering context. */
export const LOWERERS: Lowerers = { value: lowerValue, pred: lowerPred }

function entityEq(lc: LCtx, l: EntityExpr, r: EntityExpr): SqlExpr {
  const a = entityPk(lc, l)
  const b = entityPk(lc, r)
  const nullSafe = l.nullable && r.nullable
  return sqlLogic('and', a.map((x, i) => {
    const y = b[i]!
    return nullSafe ? { k: 'fn', name: 'isNotDistinct', args: [x, y], nullable: false } : { k: 'cmp', op: '=', l: x, r: y, nullable: x.nullable || y.nullable }
  }))
}

function jsNot(arg: SqlExpr): SqlExpr {
  return { k: 'not', arg, js: true, nullable: false }
}

function compare(lc: LCtx, e: Extract<Expr, { kind: 'compare' }>): SqlExpr {
  let l = operand(lc, e.left, e.right)
  let r = operand(lc, e.right, e.left)
  if (e.left.kind === 'json' && isNumeric(e.right.type)) l = { k: 'cast', arg: l, to: 'double', nullable: true }
  if (e.right.kind === 'json' && isNumeric(e.left.type)) r = { k: 'cast', arg: r, to: 'double', nullable: true }
  if (e.op === '==' || e.op === '!=') {
    const eq: SqlExpr = e.left.nullable && e.right.nullable
      ? { k: 'fn', name: 'isNotDistinct', args: [l, r], nullable: false }
      : { k: 'cmp', op: '=', l, r, nullable: l.nullable || r.nullable }
    return e.op === '==' ? eq : jsNot(eq)
  }
  // Decimals order as numbers on every database (README, deliberate exceptions); equality stays plain (canonical form makes it exact).
  if (e.left.type === 'decimal' || e.right.type === 'decimal') [l, r] = [decKey(l), decKey(r)]
  return { k: 'cmp', op: e.op, l, r, nullable: l.nullable || r.nullable }
}

function truthy(lc: LCtx, arg: Expr | EntityExpr): SqlExpr {
  if (arg.kind === 'entityRef' || arg.kind === 'entityParam') return isNullSql(entityPk(lc, arg)[0]!, true)
  if (arg.kind === 'raw') return lowerScalar(lc, arg)
  const v = lowerValue(lc, arg)
  if (isText(arg.type)) return { k: 'cmp', op: '<>', l: v, r: { k: 'str', value: '', nullable: false }, nullable: v.nullable }
  if (isNumeric(arg.type)) return { k: 'cmp', op: '<>', l: v, r: { k: 'num', value: 0, nullable: false }, nullable: v.nullable }
  if (arg.type === 'boolean') return v
  return isNullSql(v, true)
}

function inList(lc: LCtx, e: Extract<Expr, { kind: 'in' }>): SqlExpr {
  if (e.arg.kind === 'entityRef' || e.arg.kind === 'entityParam') {
    const arg = e.arg
    const items = e.items as readonly EntityExpr[]
    if (arg.entity.pk.length === 1 && arg.entity.pk[0]!.relation === 'none' && items.every((i) => i.kind === 'entityParam')) {
      const x = entityPk(lc, arg)[0]!
      return { k: 'in', arg: x, items: items.map((i) => entityPk(lc, i)[0]!), negated: false, nullable: x.nullable }
    }
    return sqlLogic('or', items.map((i) => entityEq(lc, arg, i)))
  }
  const arg = e.arg
  const x = lowerValue(lc, arg)
  const plain: SqlExpr[] = []
  const extra: SqlExpr[] = []
  for (const item of e.items as readonly Expr[]) {
    if (item.kind === 'const' && item.value === null) extra.push(isNullSql(x))
    else if (item.nullable && arg.nullable) extra.push({ k: 'fn', name: 'isNotDistinct', args: [x, lowerValue(lc, item)], nullable: false })
    else plain.push(isBound(item) ? bound(item as Extract<Expr, { kind: 'param' | 'const' }>, typedBy(item, arg)) : lowerValue(lc, item))
  }
  const list: SqlExpr[] = plain.length === 0 ? [] : [{ k: 'in', arg: x, items: plain, negated: false, nullable: x.nullable || plain.some((p) => p.nullable) }]
  return sqlLogic('or', [...list, ...extra])
}

/** A long list bound as one slot (no nulls in it); a list that held a null also takes a null `x` (#14). */
function inListParam(lc: LCtx, e: Extract<Expr, { kind: 'inList' }>): SqlExpr {
  const x = e.arg.kind === 'entityRef' || e.arg.kind === 'entityParam' ? entityPk(lc, e.arg)[0]! : lowerValue(lc, e.arg)
  const slot: Extract<ParamSlot, { from: 'lambda' }> = { from: 'lambda', lambda: e.lambda, path: e.path, type: e.elemType }
  const test: SqlExpr = { k: 'inParam', arg: x, slot, type: e.elemType, negated: false, nullable: x.nullable }
  return e.nulls ? sqlLogic('or', [test, isNullSql(x)]) : test
}

function lowerScalar(lc: LCtx, e: Expr): SqlExpr {
  switch (e.kind) {
    case 'column': return lc.scope.column(e.base, e.path, e.attr, e.column.name, e.nullable)
    case 'param':
    case 'const': return bound(e, false)
    case 'arith': return arith(lc, e)
    case 'neg': return { k: 'neg', arg: lowerValue(lc, e.arg), nullable: e.nullable }
    case 'concat': return { k: 'fn', name: 'concat', args: e.parts.map((p) => lowerValue(lc, p)), nullable: false }
    case 'toText': return toText(lowerValue(lc, e.arg), e.arg.type, e.nullable)
    case 'compare': return compare(lc, e)
    case 'isNull': {
      const a = e.arg
      return isNullSql(a.kind === 'entityRef' || a.kind === 'entityParam' ? entityPk(lc, a)[0]! : lowerValue(lc, a))
    }
    case 'entityEq': return entityEq(lc, e.left, e.right)
    case 'and':
    case 'or': return sqlLogic(e.kind, e.items.map((i) => lowerPred(lc, i)))
    case 'not': return jsNot(lowerPred(lc, e.arg))
    case 'truthy': return truthy(lc, e.arg)
    case 'cond': {
      const asPred = e.type === 'boolean'
      const branch = (b: Expr): SqlExpr => (asPred ? lowerPred(lc, b) : lowerValue(lc, b))
      return { k: 'case', whens: [{ when: lowerPred(lc, e.test), then: branch(e.then) }], else: branch(e.else), nullable: e.nullable || asPred }
    }
    case 'pick': {
      const test = truthy(lc, e.left)
      const left = lowerValue(lc, e.left)
      const right = lowerValue(lc, e.right)
      const [then, other] = e.op === '||' ? [left, right] : [right, left]
      return { k: 'case', whens: [{ when: test, then }], else: other, nullable: e.nullable }
    }
    case 'coalesce': return { k: 'fn', name: 'coalesce', args: e.items.map((i) => lowerValue(lc, i)), nullable: e.nullable }
    case 'fn': return lowerFn(lc, e)
    case 'match': return { k: 'match', mode: e.mode, arg: lowerValue(lc, e.arg), needle: lowerValue(lc, e.needle), negated: false, nullable: e.nullable }
    case 'like': return { k: 'fn', name: 'like', args: [lowerValue(lc, e.arg), lowerValue(lc, e.pattern)], nullable: e.nullable }
    case 'in': return inList(lc, e)
    case 'inList': return inListParam(lc, e)
    case 'json': return { k: 'json', arg: lowerValue(lc, e.arg), path: e.path, mode: 'text', nullable: true }
    case 'jsonNull': return { k: 'json', arg: lowerValue(lc, e.arg), path: e.path, mode: 'isNull', nullable: true }
    case 'raw': return { k: 'raw', parts: e.parts, args: e.args.map((a) => lowerValue(lc, a)), nullable: true }
    case 'agg': {
      const arg = e.arg === null ? null : lowerValue(lc, e.arg)
      if (e.fn === 'min' || e.fn === 'max') return minMaxSql(e.fn, arg, e.arg?.type === 'decimal', e.distinct && arg !== null, true)
      if (e.fn === 'sum' || e.fn === 'avg') return sumAvgSql(e.fn, arg, e.arg?.type === 'decimal', e.distinct && arg !== null)
      return { k: 'agg', fn: e.fn, arg, distinct: e.distinct && arg !== null, sep: e.sep, nullable: e.fn !== 'count' }
    }
    case 'collAgg': return lowerCollAgg(lc, e)
    default: return assertNever(e)
  }
}

/** Text of a value (int, bigint, JSON); an int that is not a plain column is printed as an integer (`intText`). */
function toText(arg: SqlExpr, type: ValueType, nullable: boolean): SqlExpr {
  if (type === 'int' && arg.k !== 'col') return { k: 'fn', name: 'intText', args: [arg], nullable }
  return { k: 'cast', arg, to: 'text', nullable }
}

function arith(lc: LCtx, e: Extract<Expr, { kind: 'arith' }>): SqlExpr {
  const l = lowerValue(lc, e.left)
  const r = lowerValue(lc, e.right)
  const zeroSafe = e.right.kind === 'const' && e.right.value !== 0
  const divisor: SqlExpr = zeroSafe ? r : { k: 'fn', name: 'nullif', args: [r, { k: 'num', value: 0, nullable: false }], nullable: true }
  switch (e.op) {
    case '/': {
      const left: SqlExpr = e.left.type === 'number' ? l : { k: 'cast', arg: l, to: 'double', nullable: l.nullable }
      return { k: 'bin', op: '/', l: left, r: divisor, nullable: e.nullable }
    }
    case '%':
      if (e.left.type === 'int' && e.right.type === 'int') return { k: 'bin', op: '%', l, r: divisor, nullable: e.nullable }
      return { k: 'fn', name: 'fmod', args: [l, divisor], nullable: e.nullable }
    default: return { k: 'bin', op: e.op, l, r, nullable: e.nullable }
  }
}
