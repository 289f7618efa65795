/**
 * pinto's query helpers as plain functions. Inside a query lambda they are
 * translated to SQL; called directly they compute the same result over
 * arrays and values, so a lambda means the same thing run over plain
 * objects (`rows.filter(lambda)`) as translated (the test suite's oracle).
 * Nulls follow the SQL aggregate rules pinto promises: aggregates skip null
 * values, `count` counts distinct non-null values, `sum` of nothing is 0,
 * `avg`/`min`/`max` of nothing are null. `sum` and `avg` of `Decimal`
 * strings are exact, as on the databases (compiler/decimal-sum.ts).
 */
import { DecimalTotal } from '../compiler/decimal-sum.js'
import { TranslationError } from '../compiler/errors.js'
import { likeMatch } from '../compiler/like.js'

type Maybe<T> = T | null | undefined
type Many<T> = Iterable<T> | ArrayLike<T>

/**
 * The values an aggregate runs over: an array or iterable, or a single value
 * (inside a query's `map`, `sum(p.views)` aggregates the group; in memory a
 * single value is a group of one). A string is one value, not its characters.
 */
function items<T>(values: Many<T> | T | null | undefined): T[] {
  if (values === null || values === undefined) return []
  if (typeof values !== 'object' && typeof values !== 'function') return [values as T]
  if (values instanceof Date) return [values as T]
  return Array.from(values as Iterable<T>)
}

function present<T>(values: Many<Maybe<T>> | Maybe<T>): T[] {
  return items(values).filter((v): v is T => v !== null && v !== undefined)
}

/** A key for distinctness: Dates by time, everything else by identity / SameValueZero. */
function identity(v: unknown): unknown {
  return v instanceof Date ? `date:${v.getTime()}` : v
}

/**
 * Count distinct non-null values. Without an argument it counts the rows of a
 * group, which only means something inside a query's `map`.
 * @example count([1, 1, null, 2]) // 2   — SQL: COUNT(DISTINCT x)
 * @example Car.select().map(c => ({ make: c.make, n: count() }))   // GROUP BY make
 */
export function count(values?: unknown): number {
  if (arguments.length === 0) throw new TranslationError('count() without arguments counts the rows of a group: it has a meaning only inside a query\'s map(…).')
  return new Set(present(values).map(identity)).size
}

/** The exact total of values that are all decimal strings (`Decimal` attributes), else null. */
function decimalTotal(xs: readonly unknown[]): DecimalTotal | null {
  if (xs.length === 0 || !xs.every((x) => typeof x === 'string')) return null
  const total = new DecimalTotal()
  return xs.every((x) => total.add(x)) ? total : null
}

/**
 * Sum of the non-null values; 0 when there are none. `Decimal` strings are
 * added exactly and give canonical decimal text (of no values at all it is
 * the number 0 here, where the database gives '0': nothing says they were decimals).
 * @example sum([1, 2, null]) // 3   — SQL: COALESCE(SUM(x), 0)
 * @example sum(['0.1', '0.2']) // '0.3'   — SQLite: COALESCE(pinto_decsum(x), 0)
 */
export function sum(values: Many<Maybe<number>> | Maybe<number>): number
export function sum(values: Many<Maybe<bigint>> | Maybe<bigint>): bigint
export function sum(values: Many<Maybe<string>> | Maybe<string>): string
export function sum(values: Many<Maybe<number | bigint | string>> | Maybe<number | bigint | string>): number | bigint | string {
  const xs = present(values)
  if (xs.length > 0 && xs.every((x) => typeof x === 'bigint')) return (xs as bigint[]).reduce((a, b) => a + b, 0n)
  const decimals = decimalTotal(xs)
  if (decimals !== null) return decimals.sum()!
  return xs.reduce<number>((a, b) => a + Number(b), 0)
}

/**
 * Average of the non-null values; null when there are none. Of `Decimal`
 * strings: their exact sum divided by their count, rounded to PostgreSQL's
 * scale for AVG(numeric) (at least 16 significant digits), as a number.
 * @example avg([1, 2, null]) // 1.5   — SQL: AVG(x)
 * @example avg(['1', '1', '2']) // 1.3333333333333333   — SQLite: pinto_decavg(x)
 */
export function avg(values: Many<Maybe<number | bigint | string>> | Maybe<number | bigint | string>): number | null {
  const xs = present(values)
  const decimals = decimalTotal(xs)
  if (decimals !== null) return Number(decimals.avg())
  return xs.length === 0 ? null : xs.reduce<number>((a, b) => a + Number(b), 0) / xs.length
}

function compare(a: unknown, b: unknown): number {
  const x = a instanceof Date ? a.getTime() : a
  const y = b instanceof Date ? b.getTime() : b
  return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0
}

/**
 * Smallest non-null value; null when there are none.
 * @example min([3, null, 1]) // 1   — SQL: MIN(x)
 */
export function min<T>(values: Many<Maybe<T>> | Maybe<T>): T | null {
  const xs = present(values)
  return xs.length === 0 ? null : xs.reduce((a, b) => (compare(b, a) < 0 ? b : a))
}

/**
 * Largest non-null value; null when there are none.
 * @example max([3, null, 1]) // 3   — SQL: MAX(x)
 */
export function max<T>(values: Many<Maybe<T>> | Maybe<T>): T | null {
  const xs = present(values)
  return xs.length === 0 ? null : xs.reduce((a, b) => (compare(b, a) > 0 ? b : a))
}

/**
 * Whether the collection has any element.
 * @example exists([]) // false   — SQL: EXISTS (SELECT 1 …)
 */
export function exists(values: Many<unknown> | null | undefined): boolean {
  return items(values).length > 0
}

/**
 * `a <= x && x <= b`; false when any of them is null (a comparison with null is false, SEMANTICS #13).
 * @example between(5, 1, 10) // true   — SQL: x >= ? AND x <= ?
 */
export function between<T extends number | bigint | string | Date>(x: Maybe<T>, a: Maybe<T>, b: Maybe<T>): boolean {
  if (x === null || x === undefined || a === null || a === undefined || b === null || b === undefined) return false
  return compare(x, a) >= 0 && compare(x, b) <= 0
}

/**
 * SQL LIKE, case-sensitive: `%` any run of characters, `_` one character, `\` escapes; false when null.
 * @example like('Alice', 'A%e') // true   — SQL: x LIKE ?
 */
export function like(s: Maybe<string>, pattern: Maybe<string>): boolean {
  return likeMatch(s, pattern) === true
}

/**
 * The first argument that is not null or undefined, else null.
 * @example coalesce(null, 'x') // 'x'   — SQL: COALESCE(a, b)
 */
export function coalesce<T>(...values: Maybe<T>[]): T | null {
  for (const v of values) if (v !== null && v !== undefined) return v
  return null
}

/**
 * Join values as text; null and undefined count as ''.
 * @example concat('a', null, 1) // 'a1'   — SQL: 'a' || COALESCE(x, '') || CAST(n AS TEXT)
 */
export function concat(...values: Maybe<string | number | bigint>[]): string {
  return values.map((v) => (v === null || v === undefined ? '' : String(v))).join('')
}

/**
 * The non-null values joined with `separator` (default ',').
 * @example groupConcat(['a', null, 'b'], '; ') // 'a; b'   — SQL: GROUP_CONCAT / STRING_AGG
 */
export function groupConcat(values: Many<Maybe<string | number | bigint>>, separator = ','): string | null {
  const xs = present(values)
  return xs.length === 0 ? null : xs.map(String).join(separator)
}

/**
 * The distinct values, in first-seen order (Dates compared by time).
 * @example sum(distinct([1, 1, 2])) // 3   — SQL: SUM(DISTINCT x)
 */
export function distinct<T>(values: Many<T>): T[] {
  const seen = new Set<unknown>()
  const out: T[] = []
  for (const v of items(values)) {
    const key = identity(v)
    if (!seen.has(key)) {
      seen.add(key)
      out.push(v)
    }
  }
  return out
}

const DESC = Symbol.for('pinto.desc')

/** A descending sort key, as `desc(x)` returns. */
export interface Desc<T> {
  readonly [DESC]: true
  readonly value: T
}

/**
 * Mark a sort key as descending (for `orderBy` and `sortByKeys`).
 * @example Person.select().orderBy(p => [desc(p.age), p.name])   — SQL: ORDER BY age DESC, name
 */
export function desc<T>(value: T): Desc<T> {
  return Object.freeze({ [DESC]: true as const, value })
}

function isDesc(v: unknown): v is Desc<unknown> {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[DESC] === true
}

function compareKey(a: unknown, b: unknown): number {
  const an = a === null || a === undefined
  const bn = b === null || b === undefined
  if (an || bn) return an && bn ? 0 : an ? -1 : 1
  return compare(a, b)
}

/**
 * Sort a copy of `rows` as `orderBy(keys)` would: keys are a value or an
 * array of values, each maybe `desc(…)`; nulls first ascending and last
 * descending (SEMANTICS #34); strings by code units (databases use their
 * collation, #10).
 * @example sortByKeys(people, p => [desc(p.age), p.name])
 */
export function sortByKeys<T>(rows: Many<T>, keys: (row: T) => unknown): T[] {
  const decorated = items(rows).map((row, i) => {
    const k = keys(row)
    return { row, i, keys: Array.isArray(k) ? k : [k] }
  })
  decorated.sort((x, y) => {
    for (let j = 0; j < Math.max(x.keys.length, y.keys.length); j++) {
      const a = x.keys[j]
      const b = y.keys[j]
      const down = isDesc(a) || isDesc(b)
      const c = compareKey(isDesc(a) ? a.value : a, isDesc(b) ? b.value : b)
      if (c !== 0) return down ? -c : c
    }
    return x.i - y.i
  })
  return decorated.map((d) => d.row)
}

/** Raw SQL written by the developer, with translated `${}` parts. */
export interface RawSql {
  readonly parts: readonly string[]
  readonly values: readonly unknown[]
}

/**
 * Raw SQL inside a lambda: the text goes into the SQL verbatim, each `${}`
 * is a translated expression (never a spliced value). Run in memory it only
 * records its parts: SQL cannot be evaluated in JavaScript.
 * @example Person.select(p => raw`length(${p.name}) > 3`)   — SQL: (length("p"."name") > 3)
 */
export function raw(strings: TemplateStringsArray, ...values: unknown[]): RawSql {
  return Object.freeze({ parts: Object.freeze([...strings]), values: Object.freeze(values) })
}
