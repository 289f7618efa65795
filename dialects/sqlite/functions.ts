/**
 * Scalar functions registered on every SQLite connection, so that generated
 * SQL can call JavaScript's semantics where SQLite's built-ins differ:
 * `upper`/`lower` only fold ASCII, JavaScript folds all of Unicode
 * (SEMANTICS #20); `%` on doubles is JavaScript's (SEMANTICS #3); decimals,
 * stored as canonical text, are ordered by a key whose text order is their
 * numeric order (`pinto_deckey`, read back by `pinto_decval`). And aggregate
 * functions: decimals are summed and averaged exactly (`pinto_decsum`,
 * `pinto_decavg`), where SQLite's SUM/AVG read the text as doubles. Add an
 * entry to `sqliteFunctions` or `sqliteAggregates` and the driver registers it.
 */

import { DecimalTotal } from '../../compiler/decimal-sum.js'
import { ValueError } from '../../compiler/errors.js'
import { likeMatch } from '../../compiler/like.js'
import { canonicalDecimal } from '../shared/text-formats.js'

/** Width and offset of the exponent in a decimal key: any exponent a JavaScript string can hold fits. */
const EXP_WIDTH = 10
const EXP_OFFSET = 5_000_000_000
const EXP_MAX = 10 ** EXP_WIDTH - 1

const complement = (digits: string): string => digits.replace(/\d/g, (d) => String(9 - Number(d)))

/**
 * A decimal as text whose byte order is numeric order, exactly, for any length: a sign marker
 * ('0' negative, '1' zero, '2' positive), then the exponent (digits before the point of the
 * first significant digit, offset to a fixed width) and the significant digits; for a negative
 * both are complemented and a ':' (above every digit) ends the digits, so a larger magnitude
 * sorts first. NULL (and text that is not a decimal) gives NULL.
 */
export function decimalKey(value: unknown): string | null {
  if (value === null || value === undefined) return null
  const text = canonicalDecimal(typeof value === 'string' ? value : String(value))
  if (text === null) return null
  if (text === '0') return '1'
  const negative = text.startsWith('-')
  const [int = '', frac = ''] = (negative ? text.slice(1) : text).split('.')
  const all = int === '0' ? frac : int + frac
  const digits = all.replace(/^0+/, '')
  const exponent = (int === '0' ? 0 : int.length) - (all.length - digits.length)
  const e = exponent + EXP_OFFSET
  if (negative) return `0${String(EXP_MAX - e).padStart(EXP_WIDTH, '0')}${complement(digits)}:`
  return `2${String(e).padStart(EXP_WIDTH, '0')}${digits}`
}

/** The canonical decimal text of a key made by `decimalKey`. */
export function decimalOfKey(key: unknown): string | null {
  if (typeof key !== 'string' || key === '') return null
  if (key === '1') return '0'
  const negative = key[0] === '0'
  const e = Number(key.slice(1, 1 + EXP_WIDTH))
  const exponent = (negative ? EXP_MAX - e : e) - EXP_OFFSET
  const rest = key.slice(1 + EXP_WIDTH)
  const digits = negative ? complement(rest.slice(0, -1)) : rest
  const int = exponent <= 0 ? '0' : digits.slice(0, exponent).padEnd(exponent, '0')
  const frac = exponent <= 0 ? '0'.repeat(-exponent) + digits : digits.slice(exponent)
  return canonicalDecimal(`${negative ? '-' : ''}${int}${frac === '' ? '' : `.${frac}`}`)
}

export interface SqliteFunction {
  readonly name: string
  readonly fn: (...args: never[]) => unknown
  /** Same arguments, same result: lets SQLite use it in indexes and constant-fold it. */
  readonly deterministic: boolean
  /** Takes any number of arguments (otherwise `fn.length` of them). */
  readonly varargs?: boolean
}

export const sqliteFunctions: readonly SqliteFunction[] = [
  { name: 'pinto_upper', fn: (s: unknown) => (typeof s === 'string' ? s.toUpperCase() : s), deterministic: true },
  { name: 'pinto_lower', fn: (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : s), deterministic: true },
  // JavaScript's % on doubles (C fmod): exact, where a - b * trunc(a / b) is off when a / b rounds to a whole number.
  { name: 'pinto_fmod', fn: (a: unknown, b: unknown) => (a === null || b === null ? null : Number(a) % Number(b)), deterministic: true },
  // Decimals (canonical text) compared, ordered and aggregated by MIN/MAX as numbers, exactly.
  { name: 'pinto_deckey', fn: decimalKey, deterministic: true },
  { name: 'pinto_decval', fn: decimalOfKey, deterministic: true },
  // Case-sensitive LIKE for the like() helper (SQLite's LIKE ignores case); 1/0, or null when an argument is null.
  { name: 'pinto_like', fn: (s: unknown, p: unknown) => (typeof s === 'string' && typeof p === 'string' ? (likeMatch(s, p) === true ? 1 : 0) : null), deterministic: true },
]

/** An aggregate function of one argument: a fresh accumulator per group, a step per row (NULLs included), a result. */
export interface SqliteAggregate<T = unknown> {
  readonly name: string
  start(): T
  step(total: T, value: unknown): T
  result(total: T): unknown
  readonly deterministic: boolean
}

/** Adds one value to a decimal total; a value that is not a decimal is an error, as SUM over it would be meaningless. */
function addDecimal(name: string): (total: DecimalTotal, value: unknown) => DecimalTotal {
  return (total, value) => {
    if (!total.add(value)) throw new ValueError(`${name}: ${typeof value === 'string' ? `'${value}'` : String(value)} is not a decimal number`)
    return total
  }
}

const decimalAggregate = (name: string, result: (total: DecimalTotal) => string | null): SqliteAggregate<DecimalTotal> => ({
  name, start: () => new DecimalTotal(), step: addDecimal(name), result, deterministic: true,
})

export const sqliteAggregates: readonly SqliteAggregate[] = [
  // Exact SUM of decimals (canonical text): NULLs skipped, NULL when there are none (as SUM; the compiler wraps it in COALESCE(…, 0)).
  decimalAggregate('pinto_decsum', (t) => t.sum()),
  // Exact AVG of decimals: the exact sum divided by the count, to PostgreSQL's scale for AVG(numeric), rounded half away from zero.
  decimalAggregate('pinto_decavg', (t) => t.avg()),
]
