/**
 * The PostgreSQL driver: node-postgres (`pg`), loaded on first use, one
 * `pg.Client` per pooled connection in pinto's generic pool. Every query uses
 * the extended protocol (`queryMode: 'extended'`: parameters always bound,
 * one statement per call) and returns rows as arrays. Each client gets this
 * pool's own type parsers and, once connected, `TimeZone=UTC`,
 * `DateStyle=ISO` and exact float output. Errors a client emits while idle (a
 * backend killed by `pg_terminate_backend`, a server restart) are caught here
 * — they never crash the process — and mark the connection broken, so the
 * pool drops it. A connection handed back inside a transaction is destroyed
 * rather than reused.
 *
 * Data statements run as named server-side prepared statements (names from
 * statement-names.ts), so a repeated query skips PostgreSQL's parse and
 * analysis. The server's default plan caching (`plan_cache_mode = auto`)
 * stays: after five runs it keeps a generic plan only when that plan is not
 * estimated dearer than the custom ones. Forcing custom plans was measured
 * and rejected: it re-plans every run (+10 µs on a primary-key read, 25 vs 35
 * µs) and was 5x slower on the benchmark's join (W3: 0.8 vs 4.0 ms). A
 * prepared statement can go stale: "cached plan must not change result type" (0A000,
 * a selected column changed type, e.g. by a migration) or "prepared
 * statement does not exist" (26000, DEALLOCATE/DISCARD ran). Outside a
 * transaction the statement is then dropped and prepared again, and run once
 * more; inside one the transaction is already aborted, so the error goes to
 * the caller as it would for any failed statement, and the stale name is
 * dropped once the connection is out of the transaction (until then that
 * text runs unnamed).
 */
import type pg from 'pg'
import type { BindOptions, DriverConnection, DriverPool, QueryResult } from '../dialect.js'
import { driverOptions, loadDriver } from '../shared/load-driver.js'
import { NetworkConnection } from '../shared/network-connection.js'
import { poolLimits, WaitQueuePool } from '../shared/pool.js'
import { cursorRows, type CursorHost } from './cursor.js'
import { convertPostgresError } from './errors.js'
import { statementNames } from './statement-names.js'
import { pinnedTypes } from './type-parsers.js'

type PgModule = typeof pg

const SESSION_SETUP = "SELECT set_config('TimeZone', 'UTC', false), set_config('DateStyle', 'ISO', false), set_config('extra_float_digits', '3', false)"
const CLOSE_TIMEOUT_MS = 2000

/** Extended protocol always (`queryMode` is missing from @types/pg), rows as arrays; `name` makes it a prepared statement. */
function arrayQuery(sql: string, params: readonly unknown[], name?: string): pg.QueryArrayConfig<unknown[]> {
  // pg only reads `values` (it converts them into the Bind message), so the params array is passed as it is
  return { text: sql, values: params as unknown[], rowMode: 'array', queryMode: 'extended', name } as pg.QueryArrayConfig<unknown[]>
}

/** The statements node-postgres believes this client has parsed (not in @types/pg). */
function parsedStatements(client: pg.Client): Record<string, string> {
  return (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements
}

/** Whether a named statement failed because its server-side statement is stale ('plan') or gone ('missing'). */
function staleKind(error: unknown): 'plan' | 'missing' | null {
  const { code, routine, message } = (error ?? {}) as { code?: unknown; routine?: unknown; message?: unknown }
  if (code === '26000') return 'missing'
  const planChanged = routine === 'RevalidateCachedQuery' || /cached plan must not change result type/.test(String(message))
  return code === '0A000' && planChanged ? 'plan' : null
}

class PostgresConnection extends NetworkConnection<PostgresConnection> implements DriverConnection, CursorHost {
  /** Names whose server-side statement is stale, to DEALLOCATE once outside a transaction. */
  private readonly stale = new Set<string>()

  constructor(private readonly client: pg.Client, pool: WaitQueuePool<PostgresConnection>) {
    super(pool, client)
  }

  protected openTransaction(): boolean {
    return this.transactionStatus() !== 'I'
  }

  async query(sql: string, params: readonly unknown[]): Promise<QueryResult> {
    try {
      const result = await this.run(sql, params)
      return { rows: result.rows, affected: result.rowCount ?? 0, insertId: null, columns: result.fields }
    } catch (error) {
      const converted = convertPostgresError(error, sql, params)
      if (converted.fatal) this.markLost()
      throw converted.error
    }
  }

  /** Run named when worth it; a stale statement outside a transaction is prepared again and run once more. */
  private async run(sql: string, params: readonly unknown[]): Promise<pg.QueryArrayResult<unknown[]>> {
    const autocommit = this.transactionStatus() === 'I'
    if (autocommit && this.stale.size > 0) await this.dropStale()
    const named = statementNames.nameFor(sql, params.length)
    const name = named !== undefined && this.stale.has(named) ? undefined : named
    try {
      return await this.client.query(arrayQuery(sql, params, name))
    } catch (error) {
      const kind = staleKind(error)
      if (name === undefined || kind === null) throw error
      this.forget(name, kind)
      if (!autocommit) throw error
      await this.dropStale()
      return this.client.query(arrayQuery(sql, params, name))
    }
  }

  /** Make node-postgres parse `name` again; a statement still on the server is dropped first. */
  private forget(name: string, kind: 'plan' | 'missing'): void {
    delete parsedStatements(this.client)[name]
    if (kind === 'plan') this.stale.add(name)
  }

  /** DEALLOCATE the stale statements (outside a transaction, so a failure here cannot abort one). */
  private async dropStale(): Promise<void> {
    for (const name of [...this.stale]) {
      this.stale.delete(name)
      await this.client.query(`DEALLOCATE ${name}`).catch(() => undefined)
    }
  }

  stream(sql: string, params: readonly unknown[]): AsyncIterable<unknown[]> {
    return cursorRows(this, sql, params)
  }

  transactionStatus(): string | null {
    return this.client.getTransactionStatus()
  }

  /** End the client politely, but never wait longer than CLOSE_TIMEOUT_MS for a server that is gone. */
  protected async shutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)
      timer.unref()
    })
    await Promise.race([this.client.end().catch(() => undefined), timeout])
    clearTimeout(timer)
  }
}

async function connect(pgModule: PgModule, options: BindOptions, pool: WaitQueuePool<PostgresConnection>): Promise<PostgresConnection> {
  const config = {
    ...driverOptions(options),
    ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
    types: pinnedTypes(pgModule.types),
  } as pg.ClientConfig
  const client = new pgModule.Client(config)
  const conn = new PostgresConnection(client, pool)
  try {
    await client.connect()
    await client.query(arrayQuery(SESSION_SETUP, []))
  } catch (error) {
    await conn.close()
    throw convertPostgresError(error, '', []).error
  }
  return conn
}

/** A pool of `poolSize` pg clients (default 10), opened on demand. */
export async function createPostgresPool(options: BindOptions): Promise<DriverPool> {
  const pgModule = await loadDriver<PgModule>('pg', 'postgres', () => import('pg'))
  const { size, acquireTimeoutMs } = poolLimits(options)
  const pool: WaitQueuePool<PostgresConnection> = new WaitQueuePool({ size, acquireTimeoutMs, open: () => connect(pgModule, options, pool) })
  return pool
}
