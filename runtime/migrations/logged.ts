/**
 * A migration statement run on its connection and recorded in the database's
 * query log (`db.on('query')`, `db.stats()`), like every statement pinto sends.
 */
import type { DriverConnection } from '../../dialects/dialect.js'
import type { QueryLog } from '../debug.js'

/** Run `sql` on `conn`, log it, and return its rows. */
export async function runLogged(conn: DriverConnection, log: QueryLog, sql: string, params: readonly unknown[] = []): Promise<unknown[][]> {
  const start = performance.now()
  const result = await conn.query(sql, params)
  log.record(sql, params, performance.now() - start, result.rows.length > 0 ? result.rows.length : result.affected, null)
  return result.rows
}
