/**
 * The meaning of `sum` and `avg` over decimals, shared by the in-memory
 * helpers and SQLite's registered aggregates `pinto_decsum`/`pinto_decavg`
 * (SQLite's own SUM/AVG read decimal text as doubles). Values are added
 * exactly, as BigInts scaled to the largest number of fractional digits
 * seen. The sum is exact. The average is PostgreSQL's `AVG(numeric)`, which
 * is the exact sum divided by the count with the scale of numeric division:
 * enough fractional digits for at least 16 significant digits of the
 * quotient, never fewer than the sum has, at most 1000, rounded half away
 * from zero. The sum's scale here is that of the values' canonical text
 * (SQLite keeps no declared scale), where PostgreSQL uses the column's
 * declared scale: the two differ only when that scale is the larger, for
 * sums of 13 digits or more before the point or columns with more than 16
 * fractional digits. Results are canonical decimal text (no trailing zeros).
 *
 * @example
 *   const t = new DecimalTotal(); t.add('0.1'); t.add('0.2'); t.sum()   // '0.3'
 *   // avg of 1, 1, 2: '1.3333333333333333' (16 digits, as PostgreSQL)
 */

/** A decimal as `units / 10^scale`. */
export interface ScaledDecimal {
  readonly units: bigint
  readonly scale: number
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/
/** Largest exponent accepted in decimal text (as `canonicalDecimal` does). */
const MAX_EXPONENT = 10_000
/** PostgreSQL's NUMERIC_MIN_SIG_DIGITS, DEC_DIGITS (digits of its base 10000) and NUMERIC_MAX_DISPLAY_SCALE. */
const MIN_SIG_DIGITS = 16
const BASE_DIGITS = 4
const MAX_SCALE = 1000

const pow10 = (n: number): bigint => 10n ** BigInt(n)

/**
 * A decimal value read exactly: text (`'-1.50'`, `'2e3'`), a bigint, or a finite number (by its
 * shortest text, as the database's REAL prints); trailing fractional zeros do not count in the
 * scale. Null for anything else.
 */
export function scaledDecimal(value: unknown): ScaledDecimal | null {
  if (typeof value === 'bigint') return { units: value, scale: 0 }
  if (typeof value === 'number') return Number.isFinite(value) ? scaledDecimal(String(value)) : null
  if (typeof value !== 'string') return null
  const m = DECIMAL.exec(value.trim())
  if (m === null) return null
  const [, sign, int = '', rawFrac = '', exp] = m
  if (int === '' && rawFrac === '') return null
  const e = exp === undefined ? 0 : Number(exp)
  if (!Number.isSafeInteger(e) || Math.abs(e) > MAX_EXPONENT) return null
  const frac = rawFrac.replace(/0+$/, '')
  let units = BigInt(int + frac)
  let scale = frac.length - e
  if (scale < 0) {
    units *= pow10(-scale)
    scale = 0
  }
  return { units: sign === '-' ? -units : units, scale }
}

/** Canonical decimal text of `units / 10^scale`: no trailing fractional zeros, no `-0`. */
export function decimalText(units: bigint, scale: number): string {
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '')
  const body = fraction === '' ? whole : `${whole}.${fraction}`
  return negative && body !== '0' ? `-${body}` : body
}

/** PostgreSQL's weight (exponent in base 10000) and first base-10000 digit of `units / 10^scale`; 0, 0 for zero. */
function baseWeight(units: bigint, scale: number): { weight: number; first: bigint } {
  const u = units < 0n ? -units : units
  if (u === 0n) return { weight: 0, first: 0n }
  const exponent10 = u.toString().length - 1 - scale
  const weight = Math.floor(exponent10 / BASE_DIGITS)
  const shift = scale + weight * BASE_DIGITS
  return { weight, first: shift >= 0 ? u / pow10(shift) : u * pow10(-shift) }
}

/** `n / d` (d > 0) rounded half away from zero to an integer. */
function roundedQuotient(n: bigint, d: bigint): bigint {
  const magnitude = ((n < 0n ? -n : n) * 2n + d) / (2n * d)
  return n < 0n ? -magnitude : magnitude
}

/** A running exact total of decimals: what `pinto_decsum` and `pinto_decavg` accumulate per group. */
export class DecimalTotal {
  private units = 0n
  private scale = 0
  /** How many values were added. */
  count = 0

  /** Add a decimal value; null and undefined are skipped. False (nothing added) when it is not a decimal. */
  add(value: unknown): boolean {
    if (value === null || value === undefined) return true
    const v = scaledDecimal(value)
    if (v === null) return false
    if (v.scale > this.scale) {
      this.units *= pow10(v.scale - this.scale)
      this.scale = v.scale
    }
    this.units += v.scale < this.scale ? v.units * pow10(this.scale - v.scale) : v.units
    this.count++
    return true
  }

  /** The exact sum as canonical text; null when nothing was added (SQL's SUM; pinto's `sum` then says 0). */
  sum(): string | null {
    return this.count === 0 ? null : decimalText(this.units, this.scale)
  }

  /** The average with PostgreSQL's scale for numeric division (see the top of the file); null when nothing was added. */
  avg(): string | null {
    if (this.count === 0) return null
    const n = BigInt(this.count)
    const s = baseWeight(this.units, this.scale)
    const c = baseWeight(n, 0)
    const qweight = s.weight - c.weight - (s.first <= c.first ? 1 : 0)
    const rscale = Math.min(Math.max(MIN_SIG_DIGITS - qweight * BASE_DIGITS, this.scale, 0), MAX_SCALE)
    const shift = rscale - this.scale
    const q = shift >= 0 ? roundedQuotient(this.units * pow10(shift), n) : roundedQuotient(this.units, n * pow10(-shift))
    return decimalText(q, rscale)
  }
}
