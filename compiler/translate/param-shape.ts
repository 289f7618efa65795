/**
 * The shape of param values: everything about them that changes the SQL,
 * and nothing else. Null or not, the JavaScript type of a scalar, the length
 * of an array and the shape of each element (for a long list, over
 * LONG_LIST values: only the kinds of value it holds), the keys of a plain object,
 * whether a number is an int or a double (`numberType`: 2.5 is never bound
 * as an int, and an int keeps an index on an int column usable), or
 * "an entity" (any object that is not a plain object, array, Date or bytes:
 * it is bound through its primary key). Translation reads values only
 * through `shapeOf`, and the cache key is `describeParamsShape`, so two runs
 * with the same key always translate to the same SQL.
 */
import type { ScalarType } from '../schema.js'

export const MAX_PARAM_DEPTH = 6

/**
 * Arrays longer than this (of scalars, nulls or entities) are "long lists":
 * their shape names the kinds of value they hold, not their length, and
 * `includes` binds them as one parameter holding the whole list. Up to this
 * length a list stays `IN (?, ?, …)` (one statement per length, at most this
 * many per query shape, far under every bind limit and the cache's size);
 * beyond it one statement serves every length, and no length hits a
 * database's bind-parameter limit (SQLite 32,766; PostgreSQL, MySQL 65,535).
 */
export const LONG_LIST = 100

/** What a long list holds: the scalar types of its values, whether it holds nulls, entities, or unusable values. */
export interface ListContents {
  readonly types: readonly ScalarType[]
  readonly nulls: boolean
  readonly entities: boolean
  readonly other: string | null
}

export type ParamShape =
  | { readonly k: 'null' }
  | { readonly k: 'scalar'; readonly type: ScalarType }
  | { readonly k: 'array'; readonly length: number }
  /** An array longer than LONG_LIST of scalars, nulls and entities: its length is not part of the shape. */
  | ({ readonly k: 'list' } & ListContents)
  | { readonly k: 'object' }
  | { readonly k: 'entity' }
  | { readonly k: 'other'; readonly what: string }

/** A plain object (its prototype is Object.prototype or null): params in it are described key by key. */
export function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** The shape of one value, not looking inside it. */
export function shapeOf(value: unknown): ParamShape {
  if (value === null || value === undefined) return { k: 'null' }
  switch (typeof value) {
    case 'number': return { k: 'scalar', type: numberType(value) }
    case 'string': return { k: 'scalar', type: 'string' }
    case 'boolean': return { k: 'scalar', type: 'boolean' }
    case 'bigint': return { k: 'scalar', type: 'bigint' }
    case 'function': return { k: 'other', what: 'a function' }
    case 'symbol': return { k: 'other', what: 'a symbol' }
    default: break
  }
  if (value instanceof Date) return { k: 'scalar', type: 'date' }
  if (value instanceof Uint8Array) return { k: 'scalar', type: 'bytes' }
  if (Array.isArray(value)) return longList(value) ?? { k: 'array', length: value.length }
  return isPlain(value as object) ? { k: 'object' } : { k: 'entity' }
}

/** The contents of a long list, or null for a short array or one holding arrays or objects. */
function longList(arr: readonly unknown[]): Extract<ParamShape, { k: 'list' }> | null {
  if (arr.length <= LONG_LIST) return null
  const types = new Set<ScalarType>()
  let nulls = false
  let entities = false
  let other: string | null = null
  for (const v of arr) {
    const s = shapeOf(v)
    switch (s.k) {
      case 'null': nulls = true; break
      case 'scalar': types.add(s.type); break
      case 'entity': entities = true; break
      case 'other': other ??= s.what; break
      default: return null
    }
  }
  return { k: 'list', types: [...types].sort(), nulls, entities, other }
}

/**
 * The scalar type of a number, a literal or a param: an integer in the range
 * of a 32-bit int column is 'int' (it takes the type of an int column it is
 * compared with, so an index on it stays usable); any other number (with a
 * fraction, or larger) is a double, compared with an int column as a double.
 */
export function numberType(value: number): 'int' | 'number' {
  return Number.isInteger(value) && Math.abs(value) <= 2147483647 ? 'int' : 'number'
}

/**
 * The scalar type a JS value is bound as when no column gives it one (an
 * untyped slot, a `sql` template value): numbers by `numberType`, so such a
 * slot is bound with the type the translator gives the same value as a
 * param; 'json' for a plain object or array; null for anything else (a
 * function, a symbol, a class instance …), which the caller rejects or
 * treats as JSON.
 *
 *     boundType(3_000_000_000)  // 'number'
 *     boundType([1, 2])         // 'json'
 */
export function boundType(value: unknown): ScalarType | null {
  switch (typeof value) {
    case 'string': return 'string'
    case 'number': return numberType(value)
    case 'bigint': return 'bigint'
    case 'boolean': return 'boolean'
    case 'object':
      if (value === null) return null
      if (value instanceof Date) return 'date'
      if (value instanceof Uint8Array) return 'bytes'
      return Array.isArray(value) || isPlain(value) ? 'json' : null
    default: return null
  }
}

const CODE: Readonly<Record<string, string>> = { int: 'N', number: 'R', string: 'S', boolean: 'B', bigint: 'I', date: 'D', bytes: 'U' }

/**
 * A short string naming the shape of a value, recursively: `N` integer
 * number, `R` other number (fraction, or beyond a 32-bit int), `S`
 * string, `n` null, `[3:N]` three non-null numbers, `{a:N,b:n}`, `E` entity,
 * `[L:N,n]` a long list (over LONG_LIST values) of integers and nulls.
 */
export function describeParamsShape(value: unknown, depth = 0): string {
  const primitive = primitiveCode(value)
  if (primitive !== null) return primitive
  const s = shapeOf(value)
  switch (s.k) {
    case 'null': return 'n'
    case 'scalar': return CODE[s.type] ?? 'X'
    case 'entity': return 'E'
    case 'other': return 'F'
    case 'list': {
      const codes = s.types.map((t) => CODE[t] ?? 'X')
      if (s.nulls) codes.push('n')
      if (s.entities) codes.push('E')
      if (s.other !== null) codes.push('F')
      return `[L:${[...new Set(codes)].sort().join(',')}]`
    }
    case 'array': {
      if (depth >= MAX_PARAM_DEPTH) return '[*]'
      const arr = value as readonly unknown[]
      if (arr.length === 0) return '[0]'
      const first = describeLeaf(arr[0])
      if (first !== null && arr.every((v) => describeLeaf(v) === first)) return `[${arr.length}:${first}]`
      return `[${arr.map((v) => describeParamsShape(v, depth + 1)).join(',')}]`
    }
    case 'object': {
      if (depth >= MAX_PARAM_DEPTH) return '{*}'
      const obj = value as Readonly<Record<string, unknown>>
      let out = '{'
      for (const k of Object.keys(obj)) out += `${out.length > 1 ? ',' : ''}${quotedKey(k)}:${describeParamsShape(obj[k], depth + 1)}`
      return `${out}}`
    }
  }
}

/** The code of null or a primitive without allocating its shape (the common param), else null. */
function primitiveCode(value: unknown): string | null {
  if (value === null || value === undefined) return 'n'
  switch (typeof value) {
    case 'number': return numberType(value) === 'int' ? 'N' : 'R'
    case 'string': return 'S'
    case 'boolean': return 'B'
    case 'bigint': return 'I'
    default: return null
  }
}

/** Param names as JSON strings, remembered (a program uses few names; bounded all the same). */
const quotedKeys = new Map<string, string>()

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key)
  if (quoted === undefined) {
    quoted = JSON.stringify(key)
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted)
  }
  return quoted
}

/** Code of a leaf value (scalar, null, entity), or null for nested arrays/objects. */
function describeLeaf(value: unknown): string | null {
  const s = shapeOf(value)
  if (s.k === 'array' || s.k === 'list' || s.k === 'object') return null
  return s.k === 'null' ? 'n' : s.k === 'scalar' ? (CODE[s.type] ?? 'X') : s.k === 'entity' ? 'E' : 'F'
}
