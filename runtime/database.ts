/**
 * `Database`: binding to a provider, defining entities, creating and
 * dropping tables, and the connection pool shared by all sessions. It keeps
 * track of which session holds which connection, so that a pool that runs
 * dry says where the holders were started.
 */
import { MappingError, OperationalError } from '../compiler/errors.js'
import type { BindOptions, Dialect, DriverConnection, DriverPool } from '../dialects/dialect.js'
import { dialectFor } from '../dialects/index.js'
import { tableColumns } from '../compiler/schema.js'
import { QueryLog, type QueryEvent, type StatementStats } from './debug.js'
import { buildSchema, type ModelDefinition, type Schema } from './model/build-schema.js'
import type { Defs, EntityClasses } from './model/types.js'
import { makeEntityClass } from './entity/entity-class.js'
import type { SessionDb } from './session/session-db.js'
import { executeSql, getRow, rowsExist, selectRows, type Row } from './raw-sql/run.js'
import type { SqlFragment } from './raw-sql/template.js'
import { Migrations } from './migrations/migrations.js'

export class Database {
  private bound: { dialect: Dialect; options: BindOptions } | null = null
  private poolPromise: Promise<DriverPool> | null = null
  /** The pool once it is open (synchronous acquire needs it without awaiting). */
  private openPool: DriverPool | null = null
  private readonly holders = new Map<DriverConnection, SessionDb>()
  schema: Schema = { entities: new Map(), linkTables: [] }
  readonly log = new QueryLog()

  constructor(options?: BindOptions) {
    if (options !== undefined) this.bind(options)
  }

  /** Choose the database: `{ provider: 'sqlite' | 'postgres' | 'mysql', … }`. The driver loads on first use. */
  bind(options: BindOptions): void {
    if (this.bound !== null) throw new MappingError(`the database is already bound to ${this.bound.dialect.name}`)
    if (typeof options !== 'object' || options === null) throw new MappingError("bind takes options: { provider: 'sqlite' | 'postgres' | 'mysql', … }")
    const dialect = dialectFor(options.provider)
    this.bound = { dialect, options }
  }

  get dialect(): Dialect {
    if (this.bound === null) throw new MappingError('the database is not bound: call db.bind({ provider, … }) first')
    return this.bound.dialect
  }

  /**
   * Define entities. Returns their classes, typed from the definition.
   * @example const { Person } = db.define({ Person: { name: required(String) } })
   */
  define<const D extends Defs>(definition: D): EntityClasses<D> {
    const schema = buildSchema(definition as ModelDefinition, this.schema)
    const out: Record<string, unknown> = {}
    const fresh = Object.keys(definition).map((name) => schema.entities.get(name)!)
    const byDepth = [...fresh].sort((a, b) => depth(a) - depth(b))
    for (const meta of byDepth) out[meta.name] = makeEntityClass(meta, this)
    this.schema = schema
    return out as EntityClasses<D>
  }

  private pool(): Promise<DriverPool> {
    if (this.poolPromise === null) {
      const { dialect, options } = this.bound ?? (() => { throw new MappingError('the database is not bound: call db.bind({ provider, … }) first') })()
      const opening = dialect.createPool(options)
      this.poolPromise = opening
      opening.then((pool) => { if (this.poolPromise === opening) this.openPool = pool }, () => { if (this.poolPromise === opening) this.poolPromise = null })
    }
    return this.poolPromise
  }

  /** A connection for a session; a dry pool names the sessions holding connections. */
  async acquireFor(session: SessionDb | null): Promise<DriverConnection> {
    const pool = await this.pool()
    let conn: DriverConnection
    try {
      conn = await pool.acquire()
    } catch (error) {
      if (error instanceof OperationalError && this.holders.size > 0) {
        const where = [...new Set([...this.holders.values()].map((s) => s.session.startedAt))]
        throw new OperationalError(`${error.message}; connections are held by: ${where.join('; ')}`, {
          sql: error.sql, params: error.params, cause: error.cause, driverCode: error.driverCode,
        })
      }
      throw error
    }
    if (session !== null) this.holders.set(conn, session)
    return conn
  }

  /** An idle connection for `session` now, or undefined (pool not open yet, none idle, or others waiting). */
  tryAcquireFor(session: SessionDb): DriverConnection | undefined {
    const conn = this.openPool?.tryAcquire()
    if (conn !== undefined) this.holders.set(conn, session)
    return conn
  }

  /** An idle connection for one synchronous statement now (not taken from the pool), or undefined. */
  idleConnectionNow(): DriverConnection | undefined {
    return this.openPool?.idleNow()
  }

  release(conn: DriverConnection): void {
    this.holders.delete(conn)
    conn.release()
  }

  /** Run statements on one connection outside any session (DDL). */
  private async runStatements(statements: readonly string[], inTransaction: boolean): Promise<void> {
    const conn = await this.acquireFor(null)
    try {
      if (inTransaction) await conn.query('BEGIN', [])
      for (const sql of statements) {
        const start = performance.now()
        const result = await conn.query(sql, [])
        this.log.record(sql, [], performance.now() - start, result.affected, null)
      }
      if (inTransaction) await conn.query('COMMIT', [])
    } catch (error) {
      if (inTransaction && !conn.broken) await conn.query('ROLLBACK', []).catch(() => undefined)
      throw error
    } finally {
      this.release(conn)
    }
  }

  /**
   * Check the model against the database: with `createTables`, create what is
   * missing (tables, indexes, foreign keys); otherwise verify that every
   * table and column exists, and throw MappingError naming what does not.
   */
  async generateMapping(options: { createTables?: boolean; checkTables?: boolean } = {}): Promise<void> {
    if (options.createTables === true) {
      const statements = this.dialect.createSchemaSql(this.schema, { ifNotExists: true })
      await this.runStatements(statements, this.dialect.caps.transactionalDdl)
    }
    if (options.checkTables === false) return
    const flavor = this.dialect.flavor
    const checks: [string, string][] = []
    for (const entity of this.schema.entities.values()) {
      if (entity.root !== entity) continue
      const cols = tableColumns(entity).map((c) => flavor.quoteId(c.name)).join(', ')
      checks.push([entity.table, `SELECT ${cols} FROM ${flavor.quoteId(entity.table)} WHERE 1 = 0`])
    }
    for (const link of this.schema.linkTables) {
      const cols = [...link.ownColumns, ...link.targetColumns].map((c) => flavor.quoteId(c.name)).join(', ')
      checks.push([link.table, `SELECT ${cols} FROM ${flavor.quoteId(link.table)} WHERE 1 = 0`])
    }
    for (const [table, sql] of checks) {
      try {
        await this.runStatements([sql], false)
      } catch (error) {
        throw new MappingError(`table '${table}' does not match the model: ${(error as Error).message.split(' — SQL:')[0]} (use generateMapping({ createTables: true }) or a migration)`, { cause: error })
      }
    }
  }

  /** Drop every table of the model. Refuses while any holds rows unless `withAllData`. */
  async dropAllTables(options: { withAllData?: boolean } = {}): Promise<void> {
    if (options.withAllData !== true) {
      const flavor = this.dialect.flavor
      const tables = [...new Set([...this.schema.entities.values()].map((e) => e.root.table)), ...this.schema.linkTables.map((l) => l.table)]
      const conn = await this.acquireFor(null)
      try {
        for (const table of tables) {
          const result = await conn.query(`SELECT 1 FROM ${flavor.quoteId(table)}`, []).catch(() => null)
          if (result !== null && result.rows.length > 0) {
            throw new MappingError(`table '${table}' holds data: pass dropAllTables({ withAllData: true }) to drop it anyway`)
          }
        }
      } finally {
        this.release(conn)
      }
    }
    await this.runStatements(this.dialect.dropSchemaSql(this.schema), false)
  }

  /** The CREATE statements for the bound dialect, without touching a database. */
  schemaSql(): string {
    return this.dialect.createSchemaSql(this.schema).map((s) => `${s};`).join('\n')
  }

  /** Close the pool. */
  async disconnect(): Promise<void> {
    const pool = this.poolPromise
    this.poolPromise = null
    this.openPool = null
    if (pool !== null) await (await pool).end()
  }

  /** `db.on('query', e => …)`: every statement with its params, time and row count. */
  on(event: 'query', listener: (event: QueryEvent) => void): this {
    if (event !== 'query') throw new MappingError(`unknown event '${String(event)}': only 'query'`)
    this.log.on(listener)
    return this
  }

  off(event: 'query', listener: (event: QueryEvent) => void): this {
    if (event === 'query') this.log.off(listener)
    return this
  }

  /** Per SQL text: how often it ran, total and max time. */
  stats(): StatementStats[] {
    return this.log.snapshot()
  }

  /**
   * Rows of a raw query as objects keyed by column name, inside the current dbSession.
   * @example await db.select(sql`SELECT name FROM person WHERE age > ${18}`)   // SELECT name FROM person WHERE age > ?
   */
  select(query: SqlFragment): Promise<Row[]> {
    return selectRows(this, query)
  }

  /** Exactly one row of a raw query; none is ObjectNotFound, several MultipleObjectsFoundError. */
  get(query: SqlFragment): Promise<Row> {
    return getRow(this, query)
  }

  /** Whether a raw query returns any row. */
  exists(query: SqlFragment): Promise<boolean> {
    return rowsExist(this, query)
  }

  /**
   * Run a raw statement inside the session's transaction (it starts one); the number of rows changed.
   * @example await db.execute(sql`UPDATE person SET age = age + 1 WHERE id = ${id}`)
   */
  execute(query: SqlFragment): Promise<number> {
    return executeSql(this, query)
  }

  private migrationsApi: Migrations | null = null

  /** Schema migrations: `plan()`, `apply({ name })`, `history()`. */
  get migrations(): Migrations {
    this.migrationsApi ??= new Migrations(this)
    return this.migrationsApi
  }

  /** The pool's size, connections in use and waiters (for tests and monitoring). */
  async poolStatus(): Promise<{ size: number; inUse: number; waiting: number }> {
    return (await this.pool()).status()
  }
}

function depth(meta: { base: unknown }): number {
  let n = 0
  for (let m = meta as { base: unknown }; m.base !== null; m = m.base as { base: unknown }) n++
  return n
}
