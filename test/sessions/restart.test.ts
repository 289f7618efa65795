// A PostgreSQL server restarted under 20 writers on a pool of 10. The shared
// test servers must not be restarted, so this starts a private cluster
// (initdb + pg_ctl as the `postgres` user, in a temp directory, on its own
// port), which needs root and the PostgreSQL binaries; without them the test
// is skipped visibly. Mid-way the server is stopped (`pg_ctl stop -m fast`,
// waiting until it is down) and started again on the same port, without
// blocking the event loop. Sessions that lose their connection fail with
// OperationalError (or, during COMMIT, CommitException with outcomeUnknown),
// the process does not crash, no session started once the server accepts
// connections again fails (no stale connection is handed out, the pool opens
// new ones at once), the counter holds every acknowledged commit (plus at most the unknown
// outcomes), and the pool is whole at the end (see restart-harness.ts).
import { after, before, it } from 'node:test'
import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Database } from '../../runtime/index.js'
import { restartUnderLoad, type PrivateServer } from './restart-harness.js'

function binDir(): string | null {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const version = readdirSync(root).sort().pop()
  return version === undefined || !existsSync(join(root, version, 'bin', 'initdb')) ? null : join(root, version, 'bin')
}

const bin = binDir()
const skip = bin === null ? 'PostgreSQL binaries not found' : process.getuid?.() !== 0 ? 'needs root to run a private cluster as postgres' : false
if (skip !== false) process.stderr.write(`# PostgreSQL restart test skipped: ${skip}\n`)
const port = 55_000 + (process.pid % 5000)
const dir = skip === false ? mkdtempSync(join(tmpdir(), 'pinto-pg-')) : ''
const data = join(dir, 'data')
const asPostgresArgs = (tool: string, args: string[]): string[] => ['-u', 'postgres', '--', join(bin!, tool), ...args]
const asPostgres = (tool: string, args: string[]): string =>
  execFileSync('runuser', asPostgresArgs(tool, args), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
const ctlArgs = (...args: string[]): string[] => ['-D', data, '-l', join(dir, 'log'), '-t', '30', ...args]
const startOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
const ctlAsync = async (...args: string[]): Promise<void> => {
  await promisify(execFile)('runuser', asPostgresArgs('pg_ctl', ctlArgs(...args)), { encoding: 'utf8' })
}

const server: PrivateServer = {
  options: { provider: 'postgres', connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` },
  stop: () => ctlAsync('-w', '-m', 'fast', 'stop'),
  // -W: return at once; the harness polls until the server accepts connections.
  start: () => ctlAsync('-W', '-o', startOptions, 'start'),
}

let db: Database | null = null

before(() => {
  if (skip !== false) return
  chmodSync(dir, 0o777)
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
  asPostgres('pg_ctl', ctlArgs('-w', '-o', startOptions, 'start'))
})

after(async () => {
  if (skip !== false) return
  try {
    await db?.disconnect()
  } finally {
    try {
      asPostgres('pg_ctl', ctlArgs('-w', '-m', 'immediate', 'stop'))
    } catch {
      // already down (a failed start): nothing to stop
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
})

it('a private PostgreSQL restarted under 20 writers on a pool of 10: failures are clean, writers recover at once, no stale connection, the pool is whole', { skip, timeout: 60_000 }, async () => {
  await restartUnderLoad(server, 'postgres', (created) => { db = created })
})
