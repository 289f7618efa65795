/**
 * What the SQL renderer needs to know about a database: quoting, placeholders,
 * capabilities (plain data, never a name comparison) and its function table.
 * Each dialect provides one (`dialects/<name>/sql-flavor.ts`); the compiler
 * only ever reads this interface.
 */

export interface FlavorCaps {
  /** INSERT … RETURNING (PostgreSQL, SQLite ≥ 3.35). */
  readonly returning: boolean
  /** SELECT … FOR UPDATE. */
  readonly forUpdate: boolean
  readonly forUpdateNowait: boolean
  readonly forUpdateSkipLocked: boolean
  /** `NULLS FIRST` / `NULLS LAST` in ORDER BY. */
  readonly nullsOrdering: boolean
  /** Largest number of bound parameters in one statement. */
  readonly maxParams: number
}

export interface SqlFlavor {
  /** Used in cache keys and messages only; never compared to choose behaviour. */
  readonly name: string
  readonly caps: FlavorCaps
  /** Quote an identifier, doubling any quote character inside it. */
  quoteId(name: string): string
  /** The placeholder for the parameter at 1-based position `index` (`?` or `$1`). */
  placeholder(index: number): string
}
