// A MariaDB server restarted under 20 writers on a pool of 10: the MariaDB
// twin of restart.test.ts, with the same assertions (restart-harness.ts). The
// shared test server must not be restarted, so this installs a private
// instance (`mariadb-install-db` into a temp directory, root without a
// password) and runs `mariadbd` on a free port with its own socket, pid file
// and error log, `--no-defaults` so that nothing of the shared server's
// my.cnf applies. Mid-way the server gets SIGTERM, the test waits until the
// process has exited, and starts it again on the same port. Without the
// binaries or root the test is skipped visibly; the server is killed and its
// directory removed afterwards, even when the test fails.
import { after, before, it } from 'node:test'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Database } from '../../runtime/index.js'
import { dialectFor } from '../../dialects/index.js'
import { acceptingAt, freePort, restartUnderLoad, type PrivateServer } from './restart-harness.js'

const MARIADBD = '/usr/sbin/mariadbd'
const INSTALL_DB = '/usr/bin/mariadb-install-db'
const STOP_TIMEOUT_MS = 20_000

/** The uid and gid of the `mysql` user, or null when there is none (then the server runs as root). */
function mysqlUser(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'mysql'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'mysql'], { encoding: 'utf8' }).trim())
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null
  } catch {
    return null
  }
}

const skip = !existsSync(MARIADBD) || !existsSync(INSTALL_DB)
  ? `MariaDB binaries not found (${MARIADBD}, ${INSTALL_DB})`
  : process.getuid?.() !== 0 ? 'needs root to run a private MariaDB instance' : false
if (skip !== false) process.stderr.write(`# MariaDB restart test skipped: ${skip}\n`)
const owner = skip === false ? mysqlUser() : null
const user = owner === null ? 'root' : 'mysql'
const dir = skip === false ? mkdtempSync(join(tmpdir(), 'pinto-mariadb-')) : ''
const data = join(dir, 'data')
let port = 0
let child: ChildProcess | null = null
let exited: Promise<void> = Promise.resolve()
let db: Database | null = null

function launch(): void {
  const proc = spawn(MARIADBD, [
    '--no-defaults', `--datadir=${data}`, `--port=${port}`, `--socket=${join(dir, 'sock')}`, '--bind-address=127.0.0.1',
    `--pid-file=${join(dir, 'pid')}`, `--log-error=${join(dir, 'error.log')}`, `--user=${user}`, '--skip-name-resolve',
    '--skip-log-bin', '--innodb-buffer-pool-size=32M', '--innodb-flush-log-at-trx-commit=2', '--max-connections=100',
  ], { stdio: 'ignore' })
  child = proc
  exited = new Promise((resolve) => proc.once('exit', () => {
    if (child === proc) child = null
    resolve()
  }))
}

/** SIGTERM (a graceful shutdown: connections are closed, InnoDB is flushed) and wait for the exit; SIGKILL after STOP_TIMEOUT_MS. */
async function stopServer(): Promise<void> {
  const proc = child
  if (proc === null) return
  proc.kill('SIGTERM')
  const killer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS)
  try {
    await exited
  } finally {
    clearTimeout(killer)
  }
}

// Should the test process die without running `after`, do not leave a server behind.
process.once('exit', () => { child?.kill('SIGKILL') })

const server: PrivateServer = {
  get options() {
    return { provider: 'mysql' as const, uri: `mysql://root@127.0.0.1:${port}/pinto` }
  },
  stop: stopServer,
  start: async () => { launch() },
}

before(async () => {
  if (skip !== false) return
  if (owner !== null) chownSync(dir, owner.uid, owner.gid)
  execFileSync(INSTALL_DB, ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', `--user=${user}`, '--skip-test-db'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 })
  port = await freePort()
  launch()
  const root = { provider: 'mysql' as const, uri: `mysql://root@127.0.0.1:${port}/` }
  await acceptingAt(root, 20_000)
  const pool = await dialectFor('mysql').createPool({ ...root, poolSize: 1, acquireTimeoutMs: 5000 })
  try {
    const conn = await pool.acquire()
    await conn.query('CREATE DATABASE pinto CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin', [])
    conn.release()
  } finally {
    await pool.end()
  }
}, { timeout: 45_000 })

after(async () => {
  if (skip !== false) return
  try {
    await db?.disconnect()
  } finally {
    try {
      child?.kill('SIGKILL')
      await exited
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
})

it('a private MariaDB restarted under 20 writers on a pool of 10: failures are clean, writers recover at once, no stale connection, the pool is whole', { skip, timeout: 60_000 }, async () => {
  await restartUnderLoad(server, 'mariadb', (created) => { db = created })
})
