/**
 * Type rules of the translator: which value types compare, add or
 * concatenate, and how a literal or param takes the type of the column it
 * meets (so it is bound with the column's type, SEMANTICS #26/#39).
 */
import { node, type Expr, type ValueType } from './ir.js'

/** The scalar type of a number literal or param: integers in int range are 'int', others 'number'. */
export { numberType } from './param-shape.js'

const NUMERIC: ReadonlySet<ValueType> = new Set(['int', 'number', 'bigint', 'decimal'])
const TEXT: ReadonlySet<ValueType> = new Set(['string', 'longstr', 'enum', 'uuid', 'dateonly'])

export function isNumeric(t: ValueType): boolean {
  return NUMERIC.has(t)
}
export function isText(t: ValueType): boolean {
  return TEXT.has(t)
}
export function isLoose(t: ValueType): boolean {
  return t === 'unknown' || t === 'json' || t === 'null'
}

/** The comparison family of a type: values of one family compare with each other. */
function family(t: ValueType): string {
  if (isNumeric(t)) return 'number'
  if (isText(t)) return 'text'
  return t
}

/** Can values of these types be compared? Decimal (a JS string) meets text too. */
export function comparable(a: ValueType, b: ValueType): boolean {
  if (isLoose(a) || isLoose(b)) return true
  if ((a === 'decimal' && isText(b)) || (b === 'decimal' && isText(a))) return true
  return family(a) === family(b)
}

/** Is `e` a literal or param whose type may follow the column it meets? */
function retypable(e: Expr): boolean {
  return e.kind === 'param' || (e.kind === 'const' && e.value !== null)
}

/** `e` with the type of the other operand when `e` is a literal or param and `other` is typed. */
export function adoptType(e: Expr, other: Expr): Expr {
  if (!retypable(e) || retypable(other) || isLoose(other.type) || other.type === e.type) return e
  // A double (2.5, or beyond the int range) is not an int: it stays a double, and SQL compares it as one.
  if (other.type === 'int' && e.type === 'number') return e
  return node({ ...e, type: other.type })
}

/** Is `e` a literal with a fraction, which never equals the integer expression `other`? */
export function fractionVsInt(e: Expr, other: Expr): e is Extract<Expr, { kind: 'const' }> {
  return e.kind === 'const' && typeof e.value === 'number' && !Number.isInteger(e.value) && (other.type === 'int' || other.type === 'bigint') && !retypable(other)
}

/** The type of `a op b` for arithmetic, or null when the operands cannot take part. */
export function arithType(op: string, a: ValueType, b: ValueType): ValueType | null {
  const ok = (t: ValueType): boolean => t === 'int' || t === 'number' || t === 'bigint' || isLoose(t)
  if (!ok(a) || !ok(b)) return null
  if ((a === 'bigint') !== (b === 'bigint') && !isLoose(a) && !isLoose(b)) return null
  if (a === 'bigint' || b === 'bigint') return op === '/' ? null : 'bigint'
  if (op === '/') return 'number'
  if (a === 'int' && b === 'int') return 'int'
  return 'number'
}

/** The common type of two branches (`?:`, `??`, `||`), or 'unknown'. */
export function unify(a: ValueType, b: ValueType): ValueType {
  if (a === b) return a
  if (a === 'null') return b
  if (b === 'null') return a
  if (isNumeric(a) && isNumeric(b)) return a === 'int' && b === 'int' ? 'int' : 'number'
  if (isText(a) && isText(b)) return 'string'
  return 'unknown'
}

/** 'a string', 'an int'. */
export function aType(t: ValueType): string {
  return `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`
}
