// A PostgreSQL server restarted under 20 writers on a pool of 10. The shared
// test servers must not be restarted, so this starts a private cluster
// (initdb + pg_ctl as the `postgres` user, in a temp directory, on its own
// port), which needs root and the PostgreSQL binaries; without them the test
// is skipped visibly. Writers keep incrementing a counter; mid-way the server
// is restarted (`pg_ctl restart -m fast`). Sessions that lose their
// connection fail with OperationalError (or, during COMMIT, CommitException
// with outcomeUnknown), the process does not crash, the pool drops the dead
// connections and refills, writers succeed again after the restart, the
// counter holds every known commit (plus at most the unknown outcomes), and
// the pool is whole at the end.
import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CommitException, Database, dbSession, OperationalError } from '../../runtime/index.js'
import { defineCounters, poolWhole, sleep } from './support.js'

function binDir(): string | null {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const version = readdirSync(root).sort().pop()
  return version === undefined || !existsSync(join(root, version, 'bin', 'initdb')) ? null : join(root, version, 'bin')
}

const bin = binDir()
const skip = bin === null ? 'PostgreSQL binaries not found' : process.getuid?.() !== 0 ? 'needs root to run a private cluster as postgres' : false
const port = 55_000 + (process.pid % 5000)
const dir = skip === false ? mkdtempSync(join(tmpdir(), 'pinto-pg-')) : ''
const data = join(dir, 'data')
const asPostgres = (tool: string, args: string[]): string =>
  execFileSync('runuser', ['-u', 'postgres', '--', join(bin!, tool), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
const ctl = (...args: string[]): string => asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', ...args])

let db: Database | null = null

before(() => {
  if (skip !== false) return
  chmodSync(dir, 0o777)
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
  ctl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start')
})

after(async () => {
  if (skip !== false) return
  await db?.disconnect()
  try {
    ctl('-m', 'immediate', 'stop')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

it('a private PostgreSQL restarted under 20 writers on a pool of 10: failures are clean, writers recover, the pool is whole', { skip, timeout: 90_000 }, async () => {
  db = new Database({ provider: 'postgres', connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, poolSize: 10, acquireTimeoutMs: 10_000 })
  const { Counter } = defineCounters(db)
  await db.generateMapping({ createTables: true })
  await dbSession.run(async () => { new Counter({ name: 'r', value: 0 }) })
  let committed = 0
  let unknown = 0
  let lost = 0
  let afterRestart = 0
  let restarted = false
  let stop = false
  const bump = dbSession({ retry: 20 })(async () => {
    const c = (await Counter.get({ name: 'r' }))!
    c.value += 1
  })
  const writer = async (): Promise<void> => {
    while (!stop) {
      try {
        await bump()
        committed++
        if (restarted) afterRestart++
      } catch (error) {
        if (error instanceof CommitException && error.outcomeUnknown) unknown++
        else if (error instanceof OperationalError || error instanceof CommitException) lost++
        else throw error
        await sleep(10)
      }
    }
  }
  const writers = Array.from({ length: 20 }, writer)
  await sleep(500)
  ctl('-m', 'fast', 'restart')
  restarted = true
  const restartedAt = Date.now()
  while (afterRestart < 50 && Date.now() - restartedAt < 20_000) await sleep(20)
  stop = true
  await Promise.all(writers)
  assert.ok(afterRestart >= 50, `writers committed again after the restart (${afterRestart})`)
  const value = await dbSession.run(async () => (await Counter.get({ name: 'r' }))!.value)
  assert.ok(value >= committed && value <= committed + unknown, `counter ${value}, known commits ${committed}, unknown outcomes ${unknown}`)
  await poolWhole(db)
  process.stdout.write(`# restart under load: ${committed} commits, ${lost} sessions lost their connection, ${unknown} unknown COMMIT outcomes, ${afterRestart} commits after the restart\n`)
})
