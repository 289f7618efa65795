/**
 * The SQLite driver: better-sqlite3, loaded on first use. One connection,
 * shared through the generic pool (size 1: ':memory:' is one database, and a
 * SQLite file has one writer anyway), so sessions queue for it with the
 * usual acquire timeout. Each connection turns foreign keys on, WAL for files,
 * a busy timeout, 64-bit integers as bigints (`safeIntegers`), registers
 * `sqliteFunctions` and `sqliteAggregates`, and caches prepared statements (bounded, LRU). Rows come
 * back as arrays (`raw`). A stream iterates a statement; if another query
 * needs the connection mid-stream, the rest of the stream is read into memory
 * first (better-sqlite3 cannot interleave), so nesting stays correct.
 */
import type BetterSqlite3 from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { MappingError } from '../../compiler/errors.js'
import type { BindOptions, DriverConnection, DriverPool, QueryOptions, QueryResult } from '../dialect.js'
import { driverOptions, loadDriver } from '../shared/load-driver.js'
import { poolLimits, WaitQueuePool, type Pooled } from '../shared/pool.js'
import { convertSqliteError } from './errors.js'
import { sqliteAggregates, sqliteFunctions } from './functions.js'

type Database = BetterSqlite3.Database
type Statement = BetterSqlite3.Statement<unknown[], unknown[]>

const STATEMENT_CACHE_SIZE = 256
const DEFAULT_BUSY_TIMEOUT_MS = 5000
const INSERT = /^\s*(insert|replace)\b/i

/** Rows of an iteration in progress; `detach` reads the rest into memory so the connection is free. */
class OpenIteration {
  private buffer: unknown[][] | null = null
  constructor(private readonly iterator: IterableIterator<unknown[]>) {}

  next(): unknown[] | undefined {
    if (this.buffer !== null) return this.buffer.shift()
    const step = this.iterator.next()
    return step.done === true ? undefined : step.value
  }
  detach(): void {
    if (this.buffer === null) this.buffer = [...this.iterator]
  }
  close(): void {
    if (this.buffer === null) this.iterator.return?.()
  }
}

function insertIdOf(id: number | bigint): number | bigint {
  return typeof id === 'bigint' && id <= BigInt(Number.MAX_SAFE_INTEGER) && id >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(id) : id
}

/** A prepared statement with what its text says once: whether it reads rows, whether it inserts (reports a key). */
interface Prepared {
  readonly stmt: Statement
  readonly reader: boolean
  readonly inserts: boolean
  /** When it was last used (the connection's statement clock), for evicting the least recently used. */
  lastUsed: number
}

class SqliteConnection implements DriverConnection, Pooled {
  readonly broken = false
  private readonly statements = new Map<string, Prepared>()
  private clock = 0
  private iteration: OpenIteration | null = null
  pool: WaitQueuePool<SqliteConnection> | null = null

  constructor(private readonly db: Database, private readonly inMemory: boolean) {}

  /** The cached statement (a hit only stamps its use: re-inserting into the Map on every hit cost 0.15 µs a query). */
  private prepare(sql: string): Prepared {
    const cached = this.statements.get(sql)
    if (cached !== undefined) {
      cached.lastUsed = ++this.clock
      return cached
    }
    const stmt = this.db.prepare<unknown[], unknown[]>(sql)
    if (stmt.reader) stmt.raw(true)
    if (this.statements.size >= STATEMENT_CACHE_SIZE) this.evictLeastRecent()
    const prepared: Prepared = { stmt, reader: stmt.reader, inserts: INSERT.test(sql), lastUsed: ++this.clock }
    this.statements.set(sql, prepared)
    return prepared
  }

  private evictLeastRecent(): void {
    let oldest: string | undefined
    let oldestUse = Infinity
    for (const [sql, prepared] of this.statements) {
      if (prepared.lastUsed < oldestUse) {
        oldestUse = prepared.lastUsed
        oldest = sql
      }
    }
    if (oldest !== undefined) this.statements.delete(oldest)
  }

  query(sql: string, params: readonly unknown[], options?: QueryOptions): Promise<QueryResult> {
    try {
      return Promise.resolve(this.querySync(sql, params, options))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  querySync(sql: string, params: readonly unknown[], options?: QueryOptions): QueryResult {
    this.iteration?.detach()
    try {
      const { stmt, reader, inserts } = this.prepare(sql)
      if (reader) {
        if (options?.oneRow === true) {
          const row = stmt.get(...params) as unknown[] | undefined
          return { rows: row === undefined ? [] : [row], affected: row === undefined ? 0 : 1, insertId: null }
        }
        const rows = stmt.all(...params)
        return options?.columns === true ? { rows, affected: rows.length, insertId: null, columns: stmt.columns() } : { rows, affected: rows.length, insertId: null }
      }
      const info = stmt.run(...params)
      const insertId = inserts && info.changes > 0 ? insertIdOf(info.lastInsertRowid) : null
      return { rows: [], affected: info.changes, insertId }
    } catch (error) {
      throw convertSqliteError(error, sql, params).error
    }
  }

  async *stream(sql: string, params: readonly unknown[]): AsyncIterable<unknown[]> {
    this.iteration?.detach()
    let iteration: OpenIteration
    try {
      iteration = new OpenIteration(this.prepare(sql).stmt.iterate(...params))
    } catch (error) {
      throw convertSqliteError(error, sql, params).error
    }
    this.iteration = iteration
    try {
      for (;;) {
        let row: unknown[] | undefined
        try {
          row = iteration.next()
        } catch (error) {
          throw convertSqliteError(error, sql, params).error
        }
        if (row === undefined) return
        yield row
      }
    } finally {
      iteration.close()
      if (this.iteration === iteration) this.iteration = null
    }
  }

  /** Back to the pool; a transaction left open is rolled back, since the next session shares this connection. */
  release(): void {
    this.iteration?.close()
    this.iteration = null
    if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK')
    this.pool?.release(this)
  }

  /** A file database is closed and reopened; ':memory:' is the database itself, so it is only rolled back and kept. */
  destroy(): void {
    if (this.inMemory) this.release()
    else this.pool?.destroy(this)
  }

  async close(): Promise<void> {
    this.iteration?.close()
    this.statements.clear()
    if (this.db.open) this.db.close()
  }
}

function openDatabase(Driver: typeof BetterSqlite3, options: BindOptions, filename: string, inMemory: boolean): SqliteConnection {
  if (!inMemory && options.createDb === false && !existsSync(filename)) {
    throw new MappingError(`SQLite database file '${filename}' does not exist (createDb: false)`)
  }
  let db: Database
  try {
    db = new Driver(filename, { timeout: DEFAULT_BUSY_TIMEOUT_MS, ...driverOptions(options) })
  } catch (error) {
    throw new MappingError(`cannot open SQLite database '${filename}': ${(error as Error).message}`, { cause: error })
  }
  db.defaultSafeIntegers(true)
  db.pragma('foreign_keys = ON')
  if (!inMemory && !db.readonly) db.pragma('journal_mode = WAL')
  for (const f of sqliteFunctions) {
    const options = { deterministic: f.deterministic, varargs: f.varargs ?? false, safeIntegers: true }
    db.function(f.name, options, f.fn as (...args: unknown[]) => unknown)
  }
  for (const a of sqliteAggregates) {
    db.aggregate(a.name, { start: a.start, step: a.step, result: a.result, deterministic: a.deterministic, safeIntegers: true })
  }
  return new SqliteConnection(db, inMemory)
}

/** A pool of one shared connection; `createDb: false` with a missing file is a MappingError. */
export async function createSqlitePool(options: BindOptions): Promise<DriverPool> {
  const Driver = await loadDriver<typeof BetterSqlite3>('better-sqlite3', 'sqlite', () => import('better-sqlite3'))
  const filename = options.filename
  if (typeof filename !== 'string') throw new MappingError("provider 'sqlite' needs a filename: a file path or ':memory:'")
  const inMemory = filename === ':memory:' || filename === ''
  const { acquireTimeoutMs } = poolLimits(options)
  const open = async (): Promise<SqliteConnection> => {
    const conn = openDatabase(Driver, options, filename, inMemory)
    conn.pool = pool
    return conn
  }
  const pool: WaitQueuePool<SqliteConnection> = new WaitQueuePool({ size: 1, acquireTimeoutMs, open })
  pool.adopt(await open())
  return pool
}
