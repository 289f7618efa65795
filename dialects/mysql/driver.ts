/**
 * The MySQL/MariaDB driver: mysql2, loaded on first use, one mysql2
 * connection per pooled connection in pinto's generic pool. Statements with
 * parameters run as server-side prepared statements (`execute`: typed binary
 * parameters, cached per connection, bounded by `maxPreparedStatements`);
 * statements without parameters use the text protocol (some DDL cannot be
 * prepared). Rows come back as arrays; BIGINT and DECIMAL as strings, dates as
 * strings, JSON as text. Each new connection sets `utf8mb4_nopad_bin` (exact
 * string comparison of parameters), `time_zone = '+00:00'` and a strict
 * `sql_mode`. Errors emitted while idle are caught and mark the connection
 * broken. A stream pauses the socket when its consumer falls behind
 * (`RowStream`). A connection handed back inside a transaction (its server
 * status says so) is destroyed rather than reused.
 */
import type mysql from 'mysql2'
import type { BindOptions, DriverConnection, DriverPool, QueryResult, ResultColumn } from '../dialect.js'
import { driverOptions, loadDriver } from '../shared/load-driver.js'
import { NetworkConnection } from '../shared/network-connection.js'
import { poolLimits, WaitQueuePool } from '../shared/pool.js'
import { COLLATION, CHARSET } from './ddl.js'
import { convertMysqlError } from './errors.js'
import { RowStream } from './row-stream.js'

type MysqlModule = typeof mysql
type Encode = (value: unknown) => unknown

export const SQL_MODE = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'
const SESSION_SETUP = `SET NAMES ${CHARSET} COLLATE ${COLLATION}, time_zone = '+00:00', sql_mode = '${SQL_MODE}'`
const DEFAULT_MAX_PREPARED = 256
const STREAM_HIGH_WATER_MARK = 256
/** The server status bit "a transaction is open" (SERVER_STATUS_IN_TRANS). */
const SERVER_STATUS_IN_TRANS = 1

function insertIdOf(id: unknown): number | bigint | null {
  if (id === undefined || id === null || id === 0 || id === '0') return null
  if (typeof id === 'number') return id
  const big = BigInt(String(id))
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big
}

/** bigint parameters as typed BIGINT where mysql2 offers it (≥ 3.16), else as decimal text. */
function bigintEncoder(mysqlModule: MysqlModule): Encode {
  const typed = (mysqlModule as unknown as { TypedParameter?: { BIGINT?: (v: bigint) => unknown } }).TypedParameter?.BIGINT
  return (value) => (typeof value !== 'bigint' ? value : typed === undefined ? value.toString() : typed(value))
}

class MysqlConnection extends NetworkConnection<MysqlConnection> implements DriverConnection {
  private streaming: RowStream | null = null
  /** From the server's status flags in each OK packet (BEGIN, DML, COMMIT, ROLLBACK all send one). */
  private inTransaction = false

  constructor(private readonly conn: mysql.Connection, pool: WaitQueuePool<MysqlConnection>, private readonly encode: Encode) {
    super(pool, conn)
  }

  protected openTransaction(): boolean {
    return this.inTransaction
  }

  protected async shutdown(): Promise<void> {
    this.conn.destroy()
  }

  private fail(error: unknown, sql: string, params: readonly unknown[]): Error {
    const converted = convertMysqlError(error, sql, params)
    if (converted.fatal) this.markLost()
    return converted.error
  }

  private command(sql: string, params: readonly unknown[], callback?: (error: unknown, result: unknown, fields?: unknown) => void): mysql.Query {
    if (params.length === 0) return callback === undefined ? this.conn.query(sql) : this.conn.query(sql, callback)
    const values = params.map(this.encode) as never[]
    return (callback === undefined ? this.conn.execute(sql, values) : this.conn.execute(sql, values, callback)) as unknown as mysql.Query
  }

  query(sql: string, params: readonly unknown[]): Promise<QueryResult> {
    this.streaming?.detach()
    return new Promise((resolve, reject) => {
      try {
        this.command(sql, params, (error, result, fields?: unknown) => {
          if (error) return reject(this.fail(error, sql, params))
          if (Array.isArray(result)) return resolve({ rows: result as unknown[][], affected: result.length, insertId: null, columns: fields as ResultColumn[] })
          const header = result as mysql.ResultSetHeader
          this.inTransaction = (header.serverStatus & SERVER_STATUS_IN_TRANS) !== 0
          resolve({ rows: [], affected: header.affectedRows, insertId: insertIdOf(header.insertId) })
        })
      } catch (error) {
        reject(this.fail(error, sql, params))
      }
    })
  }

  async *stream(sql: string, params: readonly unknown[]): AsyncIterable<unknown[]> {
    this.streaming?.detach()
    let rows: RowStream
    try {
      rows = new RowStream(this.conn, this.command(sql, params), STREAM_HIGH_WATER_MARK)
    } catch (error) {
      throw this.fail(error, sql, params)
    }
    this.streaming = rows
    try {
      for (;;) {
        let row: unknown[] | undefined
        try {
          row = await rows.next()
        } catch (error) {
          throw this.fail(error, sql, params)
        }
        if (row === undefined) return
        yield row
      }
    } finally {
      rows.close()
      if (this.streaming === rows) this.streaming = null
    }
  }

}

async function connect(mysqlModule: MysqlModule, options: BindOptions, pool: WaitQueuePool<MysqlConnection>, encode: Encode): Promise<MysqlConnection> {
  const config = {
    maxPreparedStatements: DEFAULT_MAX_PREPARED,
    ...driverOptions(options),
    ...(options.uri === undefined ? {} : { uri: options.uri }),
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    jsonStrings: true,
    timezone: 'Z',
    rowsAsArray: true,
    multipleStatements: false,
  } as mysql.ConnectionOptions
  const raw = mysqlModule.createConnection(config)
  const conn = new MysqlConnection(raw, pool, encode)
  try {
    await new Promise<void>((resolve, reject) => raw.connect((error) => (error ? reject(error) : resolve())))
    await conn.query(SESSION_SETUP, [])
  } catch (error) {
    await conn.close()
    throw convertMysqlError(error, '', []).error
  }
  return conn
}

/** A pool of `poolSize` mysql2 connections (default 10), opened on demand. */
export async function createMysqlPool(options: BindOptions): Promise<DriverPool> {
  const mysqlModule = await loadDriver<MysqlModule>('mysql2', 'mysql', () => import('mysql2'))
  const { size, acquireTimeoutMs } = poolLimits(options)
  const encode = bigintEncoder(mysqlModule)
  const pool: WaitQueuePool<MysqlConnection> = new WaitQueuePool({ size, acquireTimeoutMs, open: () => connect(mysqlModule, options, pool, encode) })
  return pool
}
