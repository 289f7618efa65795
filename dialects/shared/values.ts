/**
 * Value conversion shared by every dialect. `toDbWith(encoders)` builds a
 * dialect's `toDb`: it validates a JS value against the column's type and
 * brings it to one canonical form (ValueError for NaN/±Infinity, NUL or lone
 * surrogates in text, invalid or out-of-range dates, malformed decimals and
 * uuids; OrmTypeError for a JS type that does not fit the column, SEMANTICS
 * #26/#33/#38/#39), then applies the dialect's small encoder table (SQLite
 * binds booleans as 0/1, PostgreSQL bigints as text …). `fromDb` reads any
 * driver's value back to the JS type the model promises; it is the same for
 * every dialect because the drivers are configured to return text for exact
 * types (int8, numeric, dates, json).
 */
import { OrmTypeError, ValueError } from '../../compiler/errors.js'
import type { ColumnInfo, ScalarType } from '../../compiler/schema.js'
import { canonicalDecimal, isDateOnly, MAX_YEAR, MIN_YEAR, parseTimestamp, rememberLast } from './text-formats.js'

/** What each type becomes after validation, before the dialect's encoder. */
export interface CanonicalValues {
  string: string; longstr: string; enum: string; uuid: string; dateonly: string
  number: number; int: number; bigint: bigint; boolean: boolean
  date: Date; decimal: string; bytes: Buffer; json: string
}

/** Per-type overrides of the canonical value a dialect's driver binds. */
export type Encoders = { readonly [T in ScalarType]?: (value: CanonicalValues[T]) => unknown }

const TYPE_NAMES: Record<ScalarType, string> = {
  string: 'String', longstr: 'LongStr', number: 'Number', int: 'Int', bigint: 'BigInt', boolean: 'Boolean',
  date: 'Date', dateonly: 'DateOnly', decimal: 'Decimal', uuid: 'Uuid', bytes: 'Uint8Array', json: 'Json', enum: 'Enum',
}

const BIGINT_MIN = -(2n ** 63n)
const BIGINT_MAX = 2n ** 63n - 1n
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const BAD_TEXT = /[\0\p{Surrogate}]/u

/** What a value is converted for: a column, or a bare type (an untyped param). */
type Where = ScalarType | ColumnInfo

/** How error messages name the target of a conversion, worked out only when one is thrown. */
function label(where: Where): string {
  return typeof where === 'string' ? `a ${TYPE_NAMES[where]} value` : `column '${where.name}' (${TYPE_NAMES[where.type]})`
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === 'bigint') return `${value}n`
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()
  if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'object'
  return String(value)
}

function wrongType(value: unknown, where: Where, hint = ''): never {
  const kind = value === null ? 'null' : typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value
  throw new OrmTypeError(`${label(where)} cannot take a ${kind} (${show(value)})${hint}`)
}

function checkText(value: string, where: Where): string {
  if ((value as { isWellFormed(): boolean } & string).isWellFormed() && !value.includes('\0')) return value
  const bad = BAD_TEXT.exec(value)
  if (bad !== null) {
    const what = bad[0] === '\0' ? 'a NUL character' : 'a lone UTF-16 surrogate'
    throw new ValueError(`${label(where)}: text contains ${what} at index ${bad.index}, which databases cannot store`)
  }
  return value
}

function finite(value: number, where: Where): number {
  if (!Number.isFinite(value)) throw new ValueError(`${label(where)}: ${value} cannot be stored; databases have no NaN or Infinity`)
  return value
}

function jsonText(value: unknown, where: Where): string {
  try {
    return JSON.stringify(value, function check(this: unknown, key: string, inner: unknown) {
      checkText(key, where)
      if (typeof inner === 'string') checkText(inner, where)
      else if (typeof inner === 'number') finite(inner, where)
      else if (typeof inner === 'bigint') wrongType(inner, where, '; JSON has no bigint, convert it to a string or number')
      return inner
    })
  } catch (error) {
    if (error instanceof ValueError || error instanceof OrmTypeError) throw error
    throw new OrmTypeError(`${label(where)}: the value cannot be written as JSON (${(error as Error).message})`, { cause: error })
  }
}

function canonicalDate(value: unknown, where: Where): Date {
  if (!(value instanceof Date)) wrongType(value, where)
  const time = value.getTime()
  if (Number.isNaN(time)) throw new ValueError(`${label(where)}: Invalid Date`)
  const year = value.getUTCFullYear()
  if (year < MIN_YEAR || year > MAX_YEAR) throw new ValueError(`${label(where)}: ${value.toISOString()} is outside years ${MIN_YEAR}..${MAX_YEAR}`)
  return value
}

function canonicalBigint(value: unknown, where: Where): bigint {
  let n: bigint
  if (typeof value === 'bigint') n = value
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value)
  else if (typeof value === 'number') throw new ValueError(`${label(where)}: ${value} is not a safe integer; pass a bigint`)
  else wrongType(value, where)
  if (n < BIGINT_MIN || n > BIGINT_MAX) throw new ValueError(`${label(where)}: ${n} is outside the 64-bit integer range`)
  return n
}

function canonicalDecimalValue(value: unknown, where: Where): string {
  if (typeof value === 'number') return canonicalDecimal(String(finite(value, where)))!
  if (typeof value === 'bigint') return value.toString()
  if (typeof value !== 'string') wrongType(value, where, "; Decimal values are strings such as '12.50'")
  const text = canonicalDecimal(value)
  if (text === null) throw new ValueError(`${label(where)}: ${show(value)} is not a decimal number`)
  return text
}

function stringOf(value: unknown, where: Where): string {
  if (typeof value !== 'string') wrongType(value, where)
  return checkText(value, where)
}

/** Validate `value` for a column of this type and return its canonical form. */
export function canonical(value: unknown, type: ScalarType, where: Where): CanonicalValues[ScalarType] {
  switch (type) {
    case 'string': case 'longstr': case 'enum':
      return stringOf(value, where)
    case 'uuid': {
      const text = stringOf(value, where)
      if (!UUID.test(text)) throw new ValueError(`${label(where)}: ${show(text)} is not a UUID`)
      return text.toLowerCase()
    }
    case 'dateonly': {
      const text = stringOf(value, where)
      if (!isDateOnly(text)) throw new ValueError(`${label(where)}: ${show(text)} is not a 'YYYY-MM-DD' date`)
      return text
    }
    case 'number':
      if (typeof value !== 'number') wrongType(value, where)
      return finite(value, where)
    case 'int':
      if (typeof value !== 'number') wrongType(value, where)
      if (!Number.isSafeInteger(finite(value, where))) throw new ValueError(`${label(where)}: ${value} is not an integer`)
      return value
    case 'bigint':
      return canonicalBigint(value, where)
    case 'boolean':
      if (typeof value !== 'boolean') wrongType(value, where)
      return value
    case 'date':
      return canonicalDate(value, where)
    case 'decimal':
      return canonicalDecimalValue(value, where)
    case 'bytes':
      if (!(value instanceof Uint8Array)) wrongType(value, where)
      return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    case 'json':
      return jsonText(value, where)
  }
}

/**
 * A dialect's `toDb`: validation, canonical form, then the dialect's encoders. null/undefined → null.
 *
 *     const toDb = toDbWith({ boolean: (b) => (b ? 1 : 0) })
 *     toDb(true, 'boolean')        // 1
 *     toDb('+01.50', 'decimal')    // '1.5'
 *     toDb(1, 'string')            // throws TypeError (an OrmError): a number for a text column
 */
export function toDbWith(given: Encoders): (value: unknown, typeOrColumn: ScalarType | ColumnInfo) => unknown {
  // rows written together often share a timestamp, and formatting one costs more than the rest of a row
  const encoders: Encoders = given.date === undefined ? given : { ...given, date: rememberLast(given.date) }
  return (value, typeOrColumn) => {
    if (value === null || value === undefined) return null
    const type = typeof typeOrColumn === 'string' ? typeOrColumn : typeOrColumn.type
    const canon = canonical(value, type, typeOrColumn)
    const encode = encoders[type] as ((v: unknown) => unknown) | undefined
    return encode === undefined ? canon : encode(canon)
  }
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8')
  return String(value)
}

function dateOnlyOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  return textOf(value)
}

function booleanOf(value: unknown): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') return value !== '0' && value !== 'f' && value !== 'false' && value !== ''
  return Number(value) !== 0
}

function dateOf(value: unknown): Date {
  if (value instanceof Date) return value
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value))
  return parseTimestamp(textOf(value))
}

function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return new Uint8Array(value)
  return new Uint8Array(Buffer.from(textOf(value), 'utf8'))
}

/**
 * A driver value read from a column of this type, as the JS value the model promises.
 *
 *     fromDb('9223372036854775807', 'bigint')            // 9223372036854775807n
 *     fromDb('2024-01-02 03:04:05.678', 'date')          // Date 2024-01-02T03:04:05.678Z
 *     fromDb('1.5000000000', 'decimal')                  // '1.5'
 */
export function fromDb(value: unknown, type: ScalarType): unknown {
  if (value === null || value === undefined) return null
  switch (type) {
    case 'string': case 'longstr': case 'enum': case 'uuid':
      return textOf(value)
    case 'dateonly':
      return dateOnlyOf(value)
    case 'number': case 'int':
      return typeof value === 'number' ? value : Number(value)
    case 'bigint':
      return typeof value === 'bigint' ? value : BigInt(typeof value === 'string' ? value : Number(value))
    case 'boolean':
      return booleanOf(value)
    case 'date':
      return dateOf(value)
    case 'decimal': {
      const text = textOf(value)
      return canonicalDecimal(text) ?? text
    }
    case 'bytes':
      return bytesOf(value)
    case 'json':
      return typeof value === 'string' || value instanceof Uint8Array ? JSON.parse(textOf(value)) : value
  }
}
