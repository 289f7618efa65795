/**
 * A database server restarted under 20 writers on a pool of 10, shared by the
 * PostgreSQL and MariaDB restart tests. Each test starts a private server (the
 * shared test servers must never be restarted) and hands it over as a
 * `PrivateServer`; `restartUnderLoad` does the rest:
 *
 *  - 20 writers keep incrementing one counter through pinto (`dbSession` with
 *    retry for conflicts; a lost connection is never retried, so it reaches
 *    the writer);
 *  - mid-way the server is stopped gracefully (and the test waits until it has
 *    exited), then started again on the same port, without blocking the event
 *    loop, so writers keep running and failing throughout;
 *  - a probe outside the database under test (its own one-connection driver
 *    pool) polls every 5 ms and stamps the moment the server accepts
 *    connections again.
 *
 * It asserts: no error other than OperationalError / CommitException reaches a
 * writer (nothing crashes); the counter holds every acknowledged commit (plus
 * at most the COMMITs whose outcome is unknown); writers recover at once: no
 * session started after the server accepted connections again (or after the
 * first commit since the restart, if that came before the probe saw it) fails,
 * which a stale connection from before the restart would make fail, as would a
 * pool that waited for its acquire timeout or did not open new connections;
 * writers go on committing (50 commits after the restart); and the pool is
 * whole at the end. How long the server was down and how soon the first commit
 * came are printed, not asserted.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { CommitException, Database, dbSession, OperationalError } from '../../runtime/index.js'
import type { BindOptions } from '../../dialects/dialect.js'
import { dialectFor } from '../../dialects/index.js'
import { defineCounters, poolWhole, sleep } from './support.js'

export interface PrivateServer {
  /** Bind options for a database on the private server (no pool settings). */
  readonly options: BindOptions
  /** Stop gracefully; resolves once the server process has exited. */
  stop(): Promise<void>
  /** Start again on the same port; may resolve before the server accepts connections. */
  start(): Promise<void>
}

const WRITERS = 20
const POOL_SIZE = 10
const COMMITS_AFTER_RESTART = 50
const PROBE_EVERY_MS = 5

/** A TCP port nobody listens on right now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** One connection attempt outside the database under test: true once the server completes a handshake and answers a query. */
export async function probe(options: BindOptions): Promise<boolean> {
  const timeout = options.provider === 'postgres' ? { connectionTimeoutMillis: 2000 } : { connectTimeout: 2000 }
  const pool = await dialectFor(options.provider).createPool({ ...options, ...timeout, poolSize: 1, acquireTimeoutMs: 3000 })
  try {
    const conn = await pool.acquire()
    try {
      await conn.query('SELECT 1', [])
      return true
    } finally {
      conn.release()
    }
  } catch {
    return false
  } finally {
    await pool.end()
  }
}

/** Poll `probe` until the server accepts connections; resolves to that moment (performance.now()). */
export async function acceptingAt(options: BindOptions, timeoutMs = 30_000): Promise<number> {
  const start = performance.now()
  while (!(await probe(options))) {
    if (performance.now() - start > timeoutMs) throw new Error(`the private server did not accept connections within ${timeoutMs} ms`)
    await sleep(PROBE_EVERY_MS)
  }
  return performance.now()
}

interface Failure {
  readonly startedAt: number
  readonly at: number
  readonly kind: 'lost' | 'unknown outcome'
  readonly code: string
  readonly message: string
}

function codeOf(error: unknown): string {
  const cause = error instanceof CommitException ? error.cause : error
  return cause instanceof OperationalError ? cause.driverCode ?? '?' : cause instanceof Error ? cause.name : '?'
}

export interface RestartFigures {
  readonly committed: number
  readonly afterRestart: number
  readonly lost: number
  readonly unknown: number
  readonly downMs: number
  readonly recoveryMs: number
}

/** Run the writers, restart `server` mid-way, assert the outcome, and return the figures (`db` is disconnected by the caller). */
export async function restartUnderLoad(server: PrivateServer, label: string, onDb: (db: Database) => void): Promise<RestartFigures> {
  const db = new Database({ ...server.options, poolSize: POOL_SIZE, acquireTimeoutMs: 10_000 })
  onDb(db)
  const { Counter } = defineCounters(db)
  await db.generateMapping({ createTables: true })
  await dbSession.run(async () => { new Counter({ name: 'r', value: 0 }) })

  const commits: number[] = []
  const failures: Failure[] = []
  let stop = false
  let stoppedAt = Infinity
  const bump = dbSession({ retry: 20 })(async () => {
    const c = (await Counter.get({ name: 'r' }))!
    c.value += 1
  })
  const writer = async (): Promise<void> => {
    while (!stop) {
      const startedAt = performance.now()
      try {
        await bump()
        commits.push(performance.now())
      } catch (error) {
        const at = performance.now()
        const message = error instanceof Error ? error.message : String(error)
        if (error instanceof CommitException && error.outcomeUnknown) failures.push({ startedAt, at, kind: 'unknown outcome', code: codeOf(error), message })
        else if (error instanceof OperationalError || error instanceof CommitException) failures.push({ startedAt, at, kind: 'lost', code: codeOf(error), message })
        else throw error
        await sleep(10)
      }
    }
  }
  const writers = Array.from({ length: WRITERS }, writer)
  const allWriters = Promise.all(writers)
  allWriters.catch(() => undefined) // a writer that crashes fails the test below, not as an unhandled rejection
  let figures: RestartFigures
  try {
    await sleep(500)
    assert.ok(commits.length > 0, 'writers commit before the restart')
    const stopping = performance.now()
    await server.stop()
    stoppedAt = performance.now()
    await server.start()
    const accepting = await acceptingAt(server.options)
    const commitsAfter = (): number[] => commits.filter((t) => t > stoppedAt)
    const deadline = accepting + 20_000
    while (commitsAfter().length < COMMITS_AFTER_RESTART && performance.now() < deadline) await sleep(20)
    stop = true
    await allWriters

    const after = commitsAfter()
    assert.ok(after.length >= COMMITS_AFTER_RESTART, `${label}: writers committed again after the restart (${after.length})`)
    const firstSuccess = after[0]!
    const recoveryMs = firstSuccess - accepting
    const back = Math.min(accepting, firstSuccess)
    const stale = failures.filter((f) => f.startedAt >= back)
    assert.deepEqual(stale.map((f) => `${f.kind} ${f.code}: ${f.message}`), [],
      `${label}: no session started once the server was back fails (no stale connection is handed out, no wait for a timeout)`)
    const unknown = failures.filter((f) => f.kind === 'unknown outcome').length
    const value = await dbSession.run(async () => (await Counter.get({ name: 'r' }))!.value)
    assert.ok(value >= commits.length && value <= commits.length + unknown,
      `${label}: counter ${value}, acknowledged commits ${commits.length}, unknown outcomes ${unknown}`)
    await poolWhole(db)
    const byCode = new Map<string, number>()
    for (const f of failures) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1)
    figures = {
      committed: commits.length,
      afterRestart: after.length,
      lost: failures.length - unknown,
      unknown,
      downMs: accepting - stopping,
      recoveryMs,
    }
    process.stdout.write(`# ${label} restart under load: ${figures.committed} commits (${figures.afterRestart} after the restart), `
      + `${figures.lost} sessions failed on a lost or refused connection [${[...byCode].map(([code, n]) => `${code}×${n}`).join(', ')}], `
      + `${unknown} unknown COMMIT outcomes; down ${figures.downMs.toFixed(0)} ms (stop to accepting); `
      + `first commit ${recoveryMs.toFixed(0)} ms after accepting; 0 stale connections\n`)
  } finally {
    stop = true
    await Promise.allSettled(writers)
  }
  return figures
}
