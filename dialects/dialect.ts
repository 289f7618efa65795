/**
 * The runtime's view of a database kind. A `Dialect` bundles the SQL flavor
 * the compiler renders with, the DDL for a schema, value conversion in both
 * directions, and the driver: a pool of connections that run one statement at
 * a time and report errors as pinto's `DatabaseError` subclasses. The runtime
 * reads only this interface; each `dialects/<name>/index.ts` exports one.
 */
import type { ColumnInfo, ScalarType, SchemaInfo } from '../compiler/schema.js'
import type { SqlFlavor } from '../compiler/sql-flavor.js'
import type { Introspector } from './shared/introspect-types.js'

export type ProviderName = 'sqlite' | 'postgres' | 'mysql'

/** Options of `db.bind(...)`; everything not named here passes through to the driver. */
export interface BindOptions {
  readonly provider: ProviderName
  /** SQLite: a file path or ':memory:'. */
  readonly filename?: string
  /** SQLite: create the file if missing (default true). */
  readonly createDb?: boolean
  /** PostgreSQL: a connection string. */
  readonly connectionString?: string
  /** MySQL/MariaDB: a connection URI. */
  readonly uri?: string
  /** Pool size (default 10; SQLite always 1). */
  readonly poolSize?: number
  /** How long `acquire` waits for a free connection before an OperationalError (default 30 000 ms). */
  readonly acquireTimeoutMs?: number
  readonly [driverOption: string]: unknown
}

export interface DialectCaps {
  /** DDL can run inside a transaction and roll back (PostgreSQL, SQLite). */
  readonly transactionalDdl: boolean
  /** One INSERT may carry several rows. */
  readonly multiRowInsert: boolean
  /** The driver reports the generated key of a single-row INSERT without RETURNING. */
  readonly insertId: boolean
  /**
   * The driver answers in the calling tick (better-sqlite3): connections have
   * `querySync` and the pool lends an idle one (`idleNow`), so a read with nothing to wait for
   * runs without a promise per layer, and batching loads saves no round trip.
   */
  readonly syncDriver: boolean
}

export interface QueryResult {
  /** Rows as arrays, columns in SELECT order. */
  readonly rows: unknown[][]
  /** Rows changed by INSERT/UPDATE/DELETE. */
  readonly affected: number
  /** Generated key of the last inserted row, when the driver reports it. */
  readonly insertId: number | bigint | null
  /** The driver's description of the result columns (raw SQL reads names and types from it). */
  readonly columns?: readonly ResultColumn[]
}

/** One result column as the driver describes it: a name, plus driver-specific type fields the dialect reads. */
export interface ResultColumn {
  readonly name: string
}

export interface QueryOptions {
  /** Report `columns` (raw SQL maps rows by name); drivers that get them for free may always report them. */
  readonly columns?: boolean
  /**
   * The statement returns at most one row (a read by primary key): a driver may
   * stop after the first row instead of stepping to the end (better-sqlite3's
   * `get`, 0.25 µs less than `all` per lookup). Drivers that gain nothing ignore it.
   */
  readonly oneRow?: boolean
}

export interface DriverConnection {
  /**
   * Run one statement with bound parameters (already converted by `toDb`).
   * Rejects with IntegrityError / OperationalError / ProgrammingError carrying sql, params, cause.
   */
  query(sql: string, params: readonly unknown[], options?: QueryOptions): Promise<QueryResult>
  /** Only on a synchronous driver (`caps.syncDriver`): `query`, answered now; throws what `query` rejects with. */
  querySync?(sql: string, params: readonly unknown[], options?: QueryOptions): QueryResult
  /** Stream rows with a cursor in bounded memory. */
  stream(sql: string, params: readonly unknown[]): AsyncIterable<unknown[]>
  /** Give the connection back to the pool. */
  release(): void
  /** Close it for good (after a fatal error); the pool replaces it. */
  destroy(): void
  /** True once the connection is known to be unusable (lost, killed). */
  readonly broken: boolean
}

export interface PoolStatus {
  readonly size: number
  readonly inUse: number
  readonly waiting: number
}

export interface DriverPool {
  /** A free connection; after `acquireTimeoutMs` rejects with OperationalError. */
  acquire(): Promise<DriverConnection>
  /** An idle connection now, or undefined when none is idle or others are already waiting for one. */
  tryAcquire(): DriverConnection | undefined
  /** An idle connection lent for one synchronous statement in this tick (not taken: nothing else runs meanwhile), or undefined. */
  idleNow(): DriverConnection | undefined
  status(): PoolStatus
  end(): Promise<void>
}

export interface Dialect {
  readonly name: ProviderName
  readonly flavor: SqlFlavor
  readonly caps: DialectCaps
  /** Open a pool; loads the driver package on first use. */
  createPool(options: BindOptions): Promise<DriverPool>
  /** CREATE TABLE / INDEX / foreign keys for the schema, in dependency order. */
  createSchemaSql(schema: SchemaInfo, options?: { ifNotExists?: boolean }): string[]
  /** DROP TABLE statements for every table of the schema (link tables first). */
  dropSchemaSql(schema: SchemaInfo): string[]
  /** BEGIN for a transaction with these options (SQLite BEGIN IMMEDIATE, SERIALIZABLE isolation …). */
  beginSql(options: { readonly serializable: boolean; readonly immediate: boolean }): readonly string[]
  /** The statement that shows the database's plan for `sql` (EXPLAIN QUERY PLAN, EXPLAIN …). */
  explainSql(sql: string): string
  /** A JS value to what the driver binds for a column of this type. Rejects NaN, NUL in text, wrong JS types. */
  toDb(value: unknown, type: ScalarType | ColumnInfo): unknown
  /** A driver value read from a column of this type to the JS value the model promises. */
  fromDb(value: unknown, type: ScalarType): unknown
  /** Reading the live schema and altering it (migrations), and describing raw result columns. */
  readonly introspect: Introspector
}
