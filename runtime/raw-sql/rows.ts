/**
 * Raw result rows to plain objects keyed by column name. Each value is
 * converted by what the driver says the column holds (the dialect's
 * `introspect.resultType`): integers become numbers when they are safe
 * integers and bigints otherwise, decimals canonical strings, timestamps
 * Dates, JSON parsed values; anything the driver leaves undescribed keeps
 * its JS value (a SQLite integer still follows the integer rule). When two
 * columns share a name, the last one wins: alias them (`AS`).
 */
import type { ScalarType } from '../../compiler/schema.js'
import type { Dialect, QueryResult } from '../../dialects/dialect.js'

function integer(value: unknown): unknown {
  if (typeof value === 'number') return value
  const n = typeof value === 'bigint' ? value : BigInt(String(value))
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n
}

/** One raw value, read as a column of `type` (null: by its JS value alone). */
export function rawValue(value: unknown, type: ScalarType | null, dialect: Dialect): unknown {
  if (value === null || value === undefined) return null
  switch (type) {
    case 'bigint': case 'int':
      return typeof value === 'string' && !/^-?\d+$/.test(value) ? value : integer(value)
    case 'decimal': case 'date': case 'json': case 'boolean': case 'dateonly':
      return dialect.fromDb(value, type)
    case 'bytes':
      return value instanceof Uint8Array ? value : dialect.fromDb(value, 'bytes')
    default:
      return typeof value === 'bigint' ? integer(value) : value
  }
}

/** The rows of a result as objects, `{ column: value }`. */
export function rowObjects(result: QueryResult, dialect: Dialect): Record<string, unknown>[] {
  const columns = result.columns ?? []
  const names = columns.map((c) => c.name)
  const types = columns.map((c) => dialect.introspect.resultType(c))
  return result.rows.map((row) => {
    const out: Record<string, unknown> = {}
    for (let i = 0; i < names.length; i++) out[names[i]!] = rawValue(row[i], types[i]!, dialect)
    return out
  })
}
