/**
 * Methods on values: strings (`startsWith`, `toLowerCase`, `slice` …),
 * dates (`getFullYear`, `getMonth` 0-based …, read in UTC), `Math.*`, and
 * `includes` on an array literal or array param (an `IN` list). Each becomes
 * an IR function with JavaScript meaning; lowering emulates it per database.
 */
import type { CallExpression, Node } from '../parse/estree.js'
import { fail, type TCtx } from './context.js'
import { node, type EntityExpr, type Expr, type IrFn, type MatchMode, type ValueType } from './ir.js'
import { LONG_LIST, type ListContents } from './param-shape.js'
import type { ScalarType } from '../schema.js'
import { paramAt, valueAt } from './params.js'
import { aType, adoptType, comparable, fractionVsInt, isLoose, isNumeric, isText, unify } from './types.js'
import { FALSE, TRUE, asEntity, asExpr, type TVal } from './values.js'

const STRING_FNS: Readonly<Record<string, IrFn>> = { toLowerCase: 'lower', toUpperCase: 'upper', trim: 'trim' }
const MATCH: Readonly<Record<string, MatchMode>> = { startsWith: 'prefix', endsWith: 'suffix', includes: 'contains' }
const DATE_FNS: Readonly<Record<string, IrFn>> = {
  FullYear: 'year', Month: 'month', Date: 'day', Day: 'weekday', Hours: 'hours', Minutes: 'minutes', Seconds: 'seconds', Milliseconds: 'milliseconds',
}
const MATH_FNS: Readonly<Record<string, IrFn>> = { abs: 'abs', round: 'round', floor: 'floor', ceil: 'ceil', trunc: 'trunc', min: 'least', max: 'greatest' }

function argCount(ctx: TCtx, n: CallExpression, args: readonly TVal[], min: number, max: number, what: string): void {
  if (args.length < min || args.length > max) {
    const expect = min === max ? `${min}` : `${min} to ${max}`
    throw fail(ctx, n, `${what} takes ${expect} argument${max === 1 ? '' : 's'} in a query, found ${args.length}.`)
  }
}

function intArg(ctx: TCtx, v: TVal, at: Node): Expr {
  const e = asExpr(ctx, v, at)
  if (e.type !== 'int' && e.type !== 'number' && e.type !== 'unknown') throw fail(ctx, at, `Expected a number here, found ${aType(e.type)}.`)
  return e
}

export function stringMethod(ctx: TCtx, s: Expr, name: string, n: CallExpression, args: readonly TVal[]): TVal {
  const at = n.arguments
  const out = (e: Expr): TVal => ({ t: 'expr', expr: e })
  const fn = STRING_FNS[name]
  if (fn !== undefined) {
    argCount(ctx, n, args, 0, 0, `.${name}()`)
    return out(node({ kind: 'fn', fn, type: 'string', nullable: s.nullable, args: [s] }))
  }
  const mode = MATCH[name]
  if (mode !== undefined) {
    argCount(ctx, n, args, 1, 1, `.${name}()`)
    const needle = asExpr(ctx, args[0]!, at[0]!)
    if (!isText(needle.type) && needle.type !== 'unknown') throw fail(ctx, at[0]!, `.${name}() needs a string, found ${aType(needle.type)}.`)
    return out(node({ kind: 'match', mode, type: 'boolean', nullable: s.nullable || needle.nullable, arg: s, needle: adoptType(needle, s) }))
  }
  if (name === 'slice' || name === 'substring') {
    argCount(ctx, n, args, 1, 2, `.${name}()`)
    const idx = args.map((a, i) => intArg(ctx, a, at[i]!))
    return out(node({ kind: 'fn', fn: name, type: 'string', nullable: s.nullable || idx.some((e) => e.nullable), args: [s, ...idx] }))
  }
  if (name === 'indexOf') {
    argCount(ctx, n, args, 1, 1, '.indexOf()')
    const sub = asExpr(ctx, args[0]!, at[0]!)
    if (!isText(sub.type) && sub.type !== 'unknown') throw fail(ctx, at[0]!, `.indexOf() needs a string, found ${aType(sub.type)}.`)
    return out(node({ kind: 'fn', fn: 'indexOf', type: 'int', nullable: s.nullable || sub.nullable, args: [s, adoptType(sub, s)] }))
  }
  throw fail(ctx, n.callee, `Unknown string method '${name}'.`, 'Strings support startsWith, endsWith, includes, toLowerCase, toUpperCase, trim, slice, substring, indexOf and .length.')
}

export function dateMethod(ctx: TCtx, d: Expr, name: string, n: CallExpression, args: readonly TVal[]): TVal {
  const m = /^get(?:UTC)?(\w+)$/.exec(name)
  const fn = m === null ? undefined : DATE_FNS[m[1]!]
  if (fn === undefined) {
    throw fail(ctx, n.callee, `Unknown date method '${name}'.`, 'Dates support getFullYear, getMonth (0-based), getDate, getDay, getHours, getMinutes, getSeconds, getMilliseconds (all UTC), and comparisons.')
  }
  argCount(ctx, n, args, 0, 0, `.${name}()`)
  return { t: 'expr', expr: node({ kind: 'fn', fn, type: 'int', nullable: d.nullable, args: [d] }) }
}

export function mathMethod(ctx: TCtx, name: string, n: CallExpression, args: readonly TVal[]): TVal {
  const fn = MATH_FNS[name]
  if (fn === undefined) throw fail(ctx, n.callee, `Math.${name} cannot be translated to SQL.`, 'Supported: Math.abs, round, floor, ceil, trunc, min, max.')
  const many = fn === 'least' || fn === 'greatest'
  argCount(ctx, n, args, 1, many ? 64 : 1, `Math.${name}`)
  const exprs = args.map((a, i) => {
    const e = asExpr(ctx, a, n.arguments[i]!)
    if (!isNumeric(e.type) && e.type !== 'unknown') throw fail(ctx, n.arguments[i]!, `Math.${name} needs numbers, found ${aType(e.type)}${e.type === 'boolean' ? ' (SEMANTICS #31)' : ''}.`)
    return e
  })
  const type = many ? exprs.reduce<Expr['type']>((t, e) => unify(t, e.type), exprs[0]!.type) : fn === 'abs' || exprs[0]!.type === 'int' ? exprs[0]!.type : 'number'
  if (exprs.length === 1 && many) return { t: 'expr', expr: exprs[0]! }
  return { t: 'expr', expr: node({ kind: 'fn', fn, type, nullable: exprs.some((e) => e.nullable), args: exprs }) }
}

/** The items of an array literal or array param. */
export function arrayItems(ctx: TCtx, arr: TVal): readonly TVal[] | null {
  if (arr.t === 'tuple') return arr.items
  if (arr.t === 'params' && arr.shape.k === 'array') {
    const values = valueAt(ctx, arr.path) as readonly unknown[]
    return values.map((v, i) => paramAt(ctx, [...arr.path, i], v))
  }
  return null
}

/** `[a, b].includes(x)` / `ids.includes(x)`: an IN list; empty is false (#16). */
export function arrayIncludes(ctx: TCtx, items: readonly TVal[], x: TVal, n: CallExpression): TVal {
  const at = n.arguments[0] ?? n
  if (items.length === 0) return { t: 'expr', expr: FALSE }
  if (x.t === 'entity' || items.some((i) => i.t === 'entity')) {
    const ref = x.t === 'entity' ? x.ref : null
    const arg = asEntity(ctx, x, at, ref?.entity ?? null)
    const list = items.map((i) => asEntity(ctx, i, at, arg.entity))
    return { t: 'expr', expr: node({ kind: 'in', type: 'boolean', nullable: false, arg, items: list }) }
  }
  const arg = asExpr(ctx, x, at)
  const list = items.flatMap((i) => {
    const e = asExpr(ctx, i, at)
    if (!comparable(arg.type, e.type)) throw fail(ctx, at, `A list holding ${aType(e.type)} never includes ${aType(arg.type)} in JavaScript (SEMANTICS #26).`)
    // A literal with a fraction never equals an integer: left out, so the list stays one of ints.
    return fractionVsInt(e, arg) ? [] : [adoptType(e, arg)]
  })
  if (list.length === 0) return { t: 'expr', expr: FALSE }
  return { t: 'expr', expr: node({ kind: 'in', type: 'boolean', nullable: false, arg, items: list }) }
}

/**
 * The type a long list's values are bound with: the type of what they are
 * compared with (as `adoptType` gives a short list's items), except that a
 * list holding doubles met by an int stays doubles; compared with an untyped
 * value, the values' own type. Null when the values have no common type.
 */
function listType(arg: ValueType, types: readonly ScalarType[]): ScalarType | null {
  if (!isLoose(arg)) return arg === 'int' && types.includes('number') ? 'number' : (arg as ScalarType)
  const t = types.reduce<ValueType>((a, b) => unify(a, b), types[0]!)
  return isLoose(t) ? null : (t as ScalarType)
}

const UNLISTABLE: ReadonlySet<ScalarType> = new Set(['bytes', 'json'])

/**
 * `ids.includes(x)` for a long list param (over LONG_LIST values): one slot
 * holding the whole list, so the SQL does not depend on its length. Nulls in
 * the list are left out when it is bound; a list that held one also includes
 * a null `x` (#14, #15).
 */
export function listIncludes(ctx: TCtx, path: readonly (string | number)[], list: ListContents, x: TVal, n: CallExpression): TVal {
  const at = n.arguments[0] ?? n
  if (list.other !== null) throw fail(ctx, at, `A param that is ${list.other} cannot be used in a query.`)
  const out = (arg: Expr | EntityExpr, elemType: ScalarType): TVal => (
    { t: 'expr', expr: node({ kind: 'inList', type: 'boolean', nullable: false, arg, lambda: ctx.lambda.index, path, elemType, nulls: list.nulls }) })
  const onlyNulls = list.types.length === 0 && !list.entities
  if (x.t === 'entity' || list.entities) {
    const arg = asEntity(ctx, x, at, null)
    if (onlyNulls) return { t: 'expr', expr: node({ kind: 'isNull', type: 'boolean', nullable: false, arg }) }
    if (!list.entities || list.types.length > 0) throw fail(ctx, at, `Expected an entity here, found a value: a list of entities holds only entities (and nulls).`)
    const pk = arg.entity.pk
    if (pk.length !== 1 || pk[0]!.relation !== 'none' || pk[0]!.type === null) {
      throw fail(ctx, at, `${arg.entity.name} has a composite primary key: a list of more than ${LONG_LIST} of them cannot be bound as one parameter.`, 'Compare its key attributes, or split the list.')
    }
    return out(arg, pk[0]!.type)
  }
  const arg = asExpr(ctx, x, at)
  if (arg.kind === 'const' && arg.value === null) return { t: 'expr', expr: list.nulls ? TRUE : FALSE }
  if (onlyNulls) return { t: 'expr', expr: node({ kind: 'isNull', type: 'boolean', nullable: false, arg }) }
  for (const t of list.types) {
    if (!comparable(arg.type, t)) throw fail(ctx, at, `A list holding ${aType(t)} never includes ${aType(arg.type)} in JavaScript (SEMANTICS #26).`)
  }
  const elemType = listType(arg.type, list.types)
  if (elemType === null) throw fail(ctx, at, `A list of more than ${LONG_LIST} values mixing ${list.types.join(', ')} cannot be bound as one parameter.`, 'Pass values of one type.')
  if (UNLISTABLE.has(elemType)) throw fail(ctx, at, `A list of more than ${LONG_LIST} ${elemType} values cannot be bound as one parameter.`, `Split it into lists of at most ${LONG_LIST}.`)
  return out(arg, elemType)
}
