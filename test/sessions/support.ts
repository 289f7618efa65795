/**
 * What the session tests share: a small model of named counters (an int,
 * a float, a volatile int, a note), a database per target with its tables
 * created before and dropped after the suite, an admin connection outside
 * pinto's sessions (to kill backends and look at rows), and small helpers
 * to reach the current session's held connection and to wait for a
 * condition.
 */
import { after, before } from 'node:test'
import { Database, Int, optional, required } from '../../runtime/index.js'
import type { BindOptions, DriverConnection, DriverPool, ProviderName } from '../../dialects/dialect.js'
import { dialectFor } from '../../dialects/index.js'
import { currentSession } from '../../runtime/session/session.js'
import type { SessionDb } from '../../runtime/session/session-db.js'
import type { TestTarget } from '../support/databases.js'

export function defineCounters(db: Database) {
  return db.define({
    Counter: {
      name: required(String, { unique: true }),
      value: required(Int),
      ratio: optional(Number),
      seen: optional(Int, { volatile: true }),
      note: optional(String),
    },
  })
}

export type Counters = ReturnType<typeof defineCounters>

/** Bind options for a target with pool settings (and, on PostgreSQL, a short deadlock_timeout so deadlocks are found in 100 ms). */
export function optionsFor(target: TestTarget, pool: { poolSize?: number; acquireTimeoutMs?: number } = {}): BindOptions {
  const options: Record<string, unknown> = { ...target.options, ...pool }
  if (target.provider === 'postgres') options['options'] = `${String(target.options['options'] ?? '')} -c deadlock_timeout=100ms`
  return options as unknown as BindOptions
}

/** A database of counters for one target; `create` makes the tables (only one database per file should). */
export function useCounters(target: TestTarget, pool: { poolSize?: number; acquireTimeoutMs?: number } = {}, create = true): { db: Database; model: Counters } {
  const db = new Database(optionsFor(target, pool))
  const model = defineCounters(db)
  before(async () => {
    if (!create) return
    await db.dropAllTables({ withAllData: true }).catch(() => undefined)
    await db.generateMapping({ createTables: true })
  })
  after(async () => {
    if (create) await db.dropAllTables({ withAllData: true })
    await db.disconnect()
  })
  return { db, model }
}

/** A raw driver pool outside any session: kills backends, reads committed rows. */
export function useAdmin(target: TestTarget): () => Promise<DriverConnection> {
  let pool: DriverPool | null = null
  after(async () => { await pool?.end() })
  return async () => {
    pool ??= await dialectFor(target.provider).createPool({ ...target.options, poolSize: 4, acquireTimeoutMs: 5000 })
    return pool.acquire()
  }
}

export const backendIdSql = (provider: ProviderName): string =>
  provider === 'postgres' ? 'SELECT pg_backend_pid()' : 'SELECT CONNECTION_ID()'

export const killSql = (provider: ProviderName, id: unknown): string =>
  provider === 'postgres' ? `SELECT pg_terminate_backend(${Number(id)})` : `KILL CONNECTION ${Number(id)}`

export const sleepSql = (provider: ProviderName, seconds: number): string =>
  provider === 'postgres' ? `SELECT pg_sleep(${seconds})` : `SELECT SLEEP(${seconds})`

/** The current session's state for `db`. */
export function sessionDb(db: Database): SessionDb {
  const session = currentSession()
  if (session === undefined) throw new Error('no current session')
  return session.forDb(db)
}

/** The connection the current session holds for `db` (inside its transaction), or null. */
export function held(db: Database): DriverConnection | null {
  return sessionDb(db).heldConnection
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Poll `check` every few ms until it holds; fails after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(2)
  }
}

/** Resolves when the pool has no connection in use (within `timeoutMs`). */
export function poolWhole(db: Database, timeoutMs = 2000): Promise<void> {
  return waitFor('the pool to be whole', async () => (await db.poolStatus()).inUse === 0, timeoutMs)
}

/** A promise with its resolve function outside. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => { resolve = r })
  return { promise, resolve }
}
