/**
 * Validation and normalisation of one scalar value for one attribute, run on
 * construction and on every assignment, before anything is recorded. Throws
 * `ValueError` (a rule broken: null into required, maxLen, min/max, check …)
 * or pinto's `TypeError` (the wrong kind of JS value), naming the attribute.
 */
import { aOrAn, OrmTypeError, ValueError } from '../../compiler/errors.js'
import type { AttrMeta } from '../model/meta.js'
import { canonicalDecimal } from '../../dialects/shared/text-formats.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}' (string)`
  if (typeof value === 'object') return aOrAn(value.constructor?.name ?? 'object')
  return `${String(value)} (${typeof value})`
}

function typeError(attr: AttrMeta, expected: string, value: unknown): never {
  throw new OrmTypeError(`${attr.qualifiedName}: expected ${expected}, got ${describe(value)}`)
}

function checkString(attr: AttrMeta, value: unknown): string {
  if (typeof value !== 'string') typeError(attr, 'a string', value)
  let s = value
  if (attr.options.autostrip !== false && attr.type !== 'longstr' && attr.type !== 'json') s = s.trim()
  if (s.includes('\u0000')) throw new ValueError(`${attr.qualifiedName}: text may not contain a NUL character`)
  return s
}

/** Characters (code points) in `s`, without making an array of them. */
function codePoints(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) i++
    }
    n++
  }
  return n
}

function checkRange(attr: AttrMeta, value: number | bigint): void {
  const { min, max } = attr.options
  if (min !== undefined && value < min) throw new ValueError(`${attr.qualifiedName}: ${value} is less than the minimum ${min}`)
  if (max !== undefined && value > max) throw new ValueError(`${attr.qualifiedName}: ${value} is greater than the maximum ${max}`)
}

function convertScalar(attr: AttrMeta, value: unknown): unknown {
  switch (attr.type) {
    case 'string':
    case 'longstr': {
      const s = checkString(attr, value)
      // UTF-16 length bounds the character count, so the count is needed only past maxLen
      if (attr.maxLen !== undefined && s.length > attr.maxLen && codePoints(s) > attr.maxLen) {
        throw new ValueError(`${attr.qualifiedName}: the value is ${codePoints(s)} characters long; maxLen is ${attr.maxLen}`)
      }
      return s
    }
    case 'uuid': {
      const s = checkString(attr, value)
      if (!UUID.test(s)) throw new ValueError(`${attr.qualifiedName}: '${s}' is not a UUID`)
      return s.toLowerCase()
    }
    case 'dateonly': {
      const s = checkString(attr, value)
      if (!DATE_ONLY.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`))) throw new ValueError(`${attr.qualifiedName}: '${s}' is not a 'YYYY-MM-DD' date`)
      return s
    }
    case 'enum': {
      const s = checkString(attr, value)
      if (!attr.enumValues?.includes(s)) throw new ValueError(`${attr.qualifiedName}: '${s}' is not one of ${attr.enumValues?.map((v) => `'${v}'`).join(', ')}`)
      return s
    }
    case 'decimal': {
      const s = typeof value === 'number' || typeof value === 'bigint' ? String(value) : checkString(attr, value)
      if (typeof value === 'number' && !Number.isFinite(value)) throw new ValueError(`${attr.qualifiedName}: ${value} is not a finite number`)
      const canonical = DECIMAL.test(s) ? canonicalDecimal(s) : null
      if (canonical === null) throw new ValueError(`${attr.qualifiedName}: '${s}' is not a decimal number`)
      return canonical
    }
    case 'int': {
      if (typeof value !== 'number') typeError(attr, 'an integer', value)
      if (!Number.isInteger(value)) throw new ValueError(`${attr.qualifiedName}: ${value} is not an integer`)
      checkRange(attr, value)
      return value
    }
    case 'number': {
      if (typeof value !== 'number') typeError(attr, 'a number', value)
      if (!Number.isFinite(value)) throw new ValueError(`${attr.qualifiedName}: ${value} cannot be stored (NaN and Infinity are rejected)`)
      checkRange(attr, value)
      return value
    }
    case 'bigint': {
      const v = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value
      if (typeof v !== 'bigint') typeError(attr, 'a bigint', value)
      if (v > 9223372036854775807n || v < -9223372036854775808n) throw new ValueError(`${attr.qualifiedName}: ${v} does not fit in 64 bits`)
      checkRange(attr, v)
      return v
    }
    case 'boolean':
      if (typeof value !== 'boolean') typeError(attr, 'a boolean', value)
      return value
    case 'date':
      if (!(value instanceof Date)) typeError(attr, 'a Date', value)
      if (Number.isNaN(value.getTime())) throw new ValueError(`${attr.qualifiedName}: Invalid Date`)
      return new Date(value.getTime())
    case 'bytes':
      if (!(value instanceof Uint8Array)) typeError(attr, 'a Uint8Array', value)
      return value
    case 'json':
      if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') typeError(attr, 'a JSON value', value)
      return value
    case null:
      return value
  }
}

/** The value to store for `attr`, or a thrown ValueError/TypeError. `null` means no value. */
export function validateScalar(attr: AttrMeta, value: unknown): unknown {
  if (value === null || value === undefined) {
    if (!attr.nullable) throw new ValueError(`${attr.qualifiedName} is required: got ${value === null ? 'null' : 'undefined'}`)
    return null
  }
  const converted = convertScalar(attr, value)
  if (converted === '' && attr.kind !== 'optional' && attr.type !== 'json') {
    throw new ValueError(`${attr.qualifiedName} is required: got an empty string`)
  }
  if (attr.options.check !== undefined && !attr.options.check(converted)) {
    throw new ValueError(`${attr.qualifiedName}: the value ${describe(converted)} fails its check`)
  }
  return converted
}
