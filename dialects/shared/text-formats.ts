/**
 * Text forms of dates and decimals that every dialect shares. Dates are UTC
 * with millisecond precision, written fixed-width so that text order is time
 * order (SQLite stores them as text, SEMANTICS #37), and read back from any
 * ISO-like form a driver returns ('2024-01-02 03:04:05.678+00', '…T…Z', no
 * zone meaning UTC). Decimals are exact strings in one canonical form (no
 * exponent, no leading zeros, no trailing fractional zeros, no '-0'), so the
 * same value reads back the same from TEXT, numeric(p,s) and DECIMAL(p,s).
 */

/** Years a Date may have in the database: fixed-width four-digit years. */
export const MIN_YEAR = 1
export const MAX_YEAR = 9999

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

/**
 * `format` remembering its last answer by time value: rows written together
 * often share a timestamp (a batch's `createdAt`), and formatting one costs
 * more than the rest of converting a row's values.
 */
export function rememberLast<T>(format: (date: Date) => T): (date: Date) => T {
  let lastMs = Number.NaN
  let lastText = undefined as T
  return (date) => {
    const ms = date.getTime()
    if (ms !== lastMs) {
      lastText = format(date)
      lastMs = ms
    }
    return lastText
  }
}

/** `2024-01-02 03:04:05.678`: UTC without zone, for DATETIME(3) columns. */
export function sqlUtc(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)} ` +
    `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}`
}

const TIMESTAMP = /^(\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?( BC)?$/i

function utcDate(year: number, month: number, day: number, h = 0, m = 0, s = 0, ms = 0): Date {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(h, m, s, ms)
  return date
}

function offsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0
  const digits = zone.slice(1).replaceAll(':', '')
  const total = Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60 + Number(digits.slice(4, 6) || 0)
  return (zone.startsWith('-') ? -1 : 1) * total * 1000
}

/**
 * A timestamp string as a Date; no zone means UTC, e.g.
 * `parseTimestamp('2024-01-02 03:04:05.678+05:30')` is 2024-01-01T21:34:05.678Z. Fractions beyond
 * milliseconds are truncated. Returns an invalid Date for unparseable text.
 */
export function parseTimestamp(text: string): Date {
  const time = commonTimestampMs(text)
  return Number.isNaN(time) ? parseTimestampByPattern(text) : new Date(time)
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

/** The number the two digits at `text[i]` write, or -1 when they are not two ASCII digits. */
function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48
  const b = text.charCodeAt(i + 1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1
}

/** Milliseconds from the fraction digits `text[start..end)`: the first three, zero-padded. */
function fractionMs(text: string, start: number, end: number): number {
  let ms = 0
  for (let i = start; i < start + 3; i++) ms = ms * 10 + (i < end ? text.charCodeAt(i) - 48 : 0)
  return ms
}

/**
 * The time of the forms drivers return for pinto's own columns — `YYYY-MM-DD[T ]HH:MM:SS`,
 * an optional fraction, then nothing, `Z`, `±HH` or `±HH:MM` (SQLite's ISO text, PostgreSQL's
 * `…+00`, MySQL's DATETIME text) — read without the regex; NaN for anything else, which
 * `parseTimestampByPattern` then reads. Years below 100 go there too (Date.UTC maps them to 19xx).
 */
export function commonTimestampMs(text: string): number {
  if (text.length < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Number.NaN
  const sep = text.charCodeAt(10)
  if (sep !== 84 && sep !== 32) return Number.NaN
  const century = twoDigits(text, 0)
  const yy = twoDigits(text, 2)
  const month = twoDigits(text, 5)
  const day = twoDigits(text, 8)
  const h = twoDigits(text, 11)
  const m = twoDigits(text, 14)
  const s = twoDigits(text, 17)
  if (century < 1 || (yy | day | h | m | s) < 0 || month < 1 || month > 12) return Number.NaN
  let end = 19
  let ms = 0
  if (text.charCodeAt(end) === 46) {
    const start = ++end
    while (isDigit(text.charCodeAt(end))) end++
    if (end === start) return Number.NaN
    ms = fractionMs(text, start, end)
  }
  return (((daysFromCivil(century * 100 + yy, month, day) * 24 + h) * 60 + m) * 60 + s) * 1000 + ms - zoneMs(text, end)
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), as Date.UTC counts them (a day past the month's end rolls
 * over the same way), in integer arithmetic: a third of Date.UTC's cost. The
 * callers' years are 100 or later, so every quotient is of positive numbers
 * and `| 0` is the floor (cheaper than Math.floor on a division's double).
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = (y / 400) | 0
  const yearOfEra = y - era * 400
  const dayOfYear = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1
  const dayOfEra = yearOfEra * 365 + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0) + dayOfYear
  return era * 146097 + dayOfEra - 719468
}

/** The offset of a zone that ends `text` at `i`: none, `Z`, `±HH` or `±HH:MM`; NaN for any other ending. */
function zoneMs(text: string, i: number): number {
  const rest = text.length - i
  if (rest === 0) return 0
  const c = text.charCodeAt(i)
  if (rest === 1) return c === 90 || c === 122 ? 0 : Number.NaN
  if ((c !== 43 && c !== 45) || (rest !== 3 && rest !== 6)) return Number.NaN
  const hours = twoDigits(text, i + 1)
  const minutes = rest === 3 ? 0 : text.charCodeAt(i + 3) === 58 ? twoDigits(text, i + 4) : -1
  if ((hours | minutes) < 0) return Number.NaN
  return (c === 45 ? -1 : 1) * (hours * 3600 + minutes * 60) * 1000
}

/** `parseTimestamp` for any ISO-like text the regex accepts (BC years, odd zones, spaces around). */
export function parseTimestampByPattern(text: string): Date {
  if (text === 'infinity') return new Date(8.64e15)
  if (text === '-infinity') return new Date(-8.64e15)
  const m = TIMESTAMP.exec(text.trim())
  if (m === null) return new Date(Number.NaN)
  const year = m[9] === undefined ? Number(m[1]) : 1 - Number(m[1])
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'))
  const local = utcDate(year, Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms)
  return new Date(local.getTime() - offsetMs(m[8]))
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/

/** Whether `text` is a real calendar date 'YYYY-MM-DD' (year 0001..9999). */
export function isDateOnly(text: string): boolean {
  const m = DATE_ONLY.exec(text)
  if (m === null) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (year < MIN_YEAR) return false
  const date = utcDate(year, month, day)
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

/**
 * The canonical form of a decimal string: `'+007.50'` → `'7.5'`, `'-0.0'` → `'0'`,
 * `'1e3'` → `'1000'`. Returns null when `text` is not a decimal number.
 */
export function canonicalDecimal(text: string): string | null {
  const m = DECIMAL.exec(text.trim())
  if (m === null) return null
  const [, sign, int = '', frac = '', exp] = m
  if (int === '' && frac === '') return null
  let digits = int + frac
  let point = int.length + (exp === undefined ? 0 : Number(exp))
  if (!Number.isSafeInteger(point) || Math.abs(point) > 10_000) return null
  if (point < 0) {
    digits = '0'.repeat(-point) + digits
    point = 0
  }
  if (point > digits.length) digits = digits.padEnd(point, '0')
  const whole = digits.slice(0, point).replace(/^0+/, '') || '0'
  const fraction = digits.slice(point).replace(/0+$/, '')
  const body = fraction === '' ? whole : `${whole}.${fraction}`
  return sign === '-' && body !== '0' ? `-${body}` : body
}
