/**
 * Streaming on PostgreSQL without extra packages: a server-side cursor
 * (`DECLARE … NO SCROLL CURSOR FOR <select>`, then `FETCH FORWARD n`), so the
 * client holds one batch at a time. A cursor lives in a transaction: inside
 * the caller's it is only closed at the end; outside one, the stream opens
 * and ends its own (COMMIT when done, ROLLBACK on error).
 */
import type { QueryResult } from '../dialect.js'

export interface CursorHost {
  query(sql: string, params: readonly unknown[]): Promise<QueryResult>
  /** 'I' idle, 'T' in a transaction, 'E' in a failed transaction (pg's ReadyForQuery status). */
  transactionStatus(): string | null
  readonly broken: boolean
}

export const FETCH_SIZE = 500
let cursorCount = 0

export async function* cursorRows(host: CursorHost, sql: string, params: readonly unknown[]): AsyncGenerator<unknown[]> {
  const ownTransaction = host.transactionStatus() === 'I'
  const name = `pinto_cursor_${++cursorCount}`
  let finished = false
  if (ownTransaction) await host.query('BEGIN', [])
  try {
    await host.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params)
    for (;;) {
      const { rows } = await host.query(`FETCH FORWARD ${FETCH_SIZE} FROM ${name}`, [])
      for (const row of rows) yield row
      if (rows.length < FETCH_SIZE) break
    }
    finished = true
  } finally {
    if (!host.broken) {
      if (host.transactionStatus() === 'T') await host.query(`CLOSE ${name}`, []).catch(() => undefined)
      if (ownTransaction) await host.query(finished ? 'COMMIT' : 'ROLLBACK', [])
    }
  }
}
