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
 */
import type pg from 'pg'
import type { BindOptions, DriverConnection, DriverPool, QueryResult } from '../dialect.js'
import { driverOptions, loadDriver } from '../shared/load-driver.js'
import { NetworkConnection } from '../shared/network-connection.js'
import { poolLimits, WaitQueuePool } from '../shared/pool.js'
import { cursorRows, type CursorHost } from './cursor.js'
import { convertPostgresError } from './errors.js'
import { pinnedTypes } from './type-parsers.js'

type PgModule = typeof pg

const SESSION_SETUP = "SELECT set_config('TimeZone', 'UTC', false), set_config('DateStyle', 'ISO', false), set_config('extra_float_digits', '3', false)"
const CLOSE_TIMEOUT_MS = 2000

/** Extended protocol always (`queryMode` is missing from @types/pg), rows as arrays. */
function arrayQuery(sql: string, params: readonly unknown[]): pg.QueryArrayConfig<unknown[]> {
  return { text: sql, values: [...params], rowMode: 'array', queryMode: 'extended' } as pg.QueryArrayConfig<unknown[]>
}

class PostgresConnection extends NetworkConnection<PostgresConnection> implements DriverConnection, CursorHost {
  constructor(private readonly client: pg.Client, pool: WaitQueuePool<PostgresConnection>) {
    super(pool, client)
  }

  protected openTransaction(): boolean {
    return this.transactionStatus() !== 'I'
  }

  async query(sql: string, params: readonly unknown[]): Promise<QueryResult> {
    try {
      const result = await this.client.query(arrayQuery(sql, params))
      return { rows: result.rows, affected: result.rowCount ?? 0, insertId: null, columns: result.fields }
    } catch (error) {
      const converted = convertPostgresError(error, sql, params)
      if (converted.fatal) this.markLost()
      throw converted.error
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
  return {
    acquire: () => pool.acquire(),
    tryAcquire: () => pool.tryAcquire(),
    status: () => pool.status(),
    end: () => pool.end(),
  }
}
