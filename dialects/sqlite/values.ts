/**
 * SQLite's value encoders: booleans as 0/1 (better-sqlite3 binds no
 * booleans), dates as fixed-width UTC text `YYYY-MM-DDTHH:MM:SS.sssZ` (text
 * order is time order, SEMANTICS #37), bigints as bigints (read back exactly
 * with safeIntegers). Decimals and JSON are their canonical text.
 */
import { fromDb, toDbWith } from '../shared/values.js'

export const toDb = toDbWith({
  boolean: (b) => (b ? 1 : 0),
  date: (d) => d.toISOString(),
})

export { fromDb }
