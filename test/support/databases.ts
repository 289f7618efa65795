/**
 * The databases a test file runs against. SQLite ':memory:' always;
 * PostgreSQL (PINTO_PG_URL, default postgres://postgres@127.0.0.1:5432/test)
 * in a fresh schema `pinto_<tag>_<pid>` (unique per process, dropped after its suite; bound with `-c search_path=pinto_<tag>`);
 * MariaDB/MySQL (PINTO_MYSQL_URL, default mysql://root@127.0.0.1:3306/test) in
 * a fresh database `pinto_<tag>`. A server that cannot be reached fails the
 * file when CI=true; otherwise a loud line goes to stderr and the test output
 * shows a skipped test naming the database and its URL — never a silent pass.
 *
 *     eachTarget('values', (target) => {
 *       it('round trips', async () => { const pool = await dialectFor(target.provider).createPool(target.options) … })
 *     })
 */
import { spawnSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import type { BindOptions, ProviderName } from '../../dialects/dialect.js'
import { dialectFor } from '../../dialects/index.js'

export interface TestTarget {
  readonly provider: ProviderName
  readonly options: BindOptions
  /** Set when the database is unreachable: why, with its URL. Such a target must not be used. */
  readonly skipped?: string
}

export const PG_URL = process.env.PINTO_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
export const MYSQL_URL = process.env.PINTO_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'
const IN_CI = process.env.CI === 'true'
const PROBE_TIMEOUT_MS = 3000

/** A URL fit to print: the password replaced. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return url
  }
}

function checkTag(tag: string): string {
  if (!/^[a-z0-9_]+$/.test(tag)) throw new Error(`test tag '${tag}' must be lowercase letters, digits and '_'`)
  return `pinto_${tag}_${process.pid}`
}

function serverUrl(provider: ProviderName): string {
  return provider === 'postgres' ? PG_URL : provider === 'mysql' ? MYSQL_URL : ':memory:'
}

/** The targets of a tag, with their bind options; whether they are reachable is decided separately. */
function plannedTargets(tag: string): TestTarget[] {
  const name = checkTag(tag)
  const mysqlUrl = new URL(MYSQL_URL)
  mysqlUrl.pathname = `/${name}`
  return [
    { provider: 'sqlite', options: { provider: 'sqlite', filename: ':memory:' } },
    { provider: 'postgres', options: { provider: 'postgres', connectionString: PG_URL, options: `-c search_path=${name}` } },
    { provider: 'mysql', options: { provider: 'mysql', uri: mysqlUrl.toString() } },
  ]
}

/** Recreate the schema (PostgreSQL) or database (MySQL) of a tag; resolves to a reason when the server is unreachable. */
async function recreate(provider: ProviderName, name: string, create = true): Promise<string | null> {
  if (provider === 'sqlite') return null
  const dialect = dialectFor(provider)
  const noDatabase = new URL(MYSQL_URL)
  noDatabase.pathname = '/'
  const server: BindOptions = provider === 'postgres'
    ? { provider, connectionString: PG_URL, connectionTimeoutMillis: PROBE_TIMEOUT_MS }
    : { provider, uri: noDatabase.toString(), connectTimeout: PROBE_TIMEOUT_MS }
  const pool = await dialect.createPool({ ...server, poolSize: 1, acquireTimeoutMs: PROBE_TIMEOUT_MS * 2 })
  try {
    const conn = await pool.acquire().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
    if (conn instanceof Error) return conn.message
    try {
      const id = dialect.flavor.quoteId(name)
      const statements = provider === 'postgres'
        ? [`DROP SCHEMA IF EXISTS ${id} CASCADE`, `CREATE SCHEMA ${id}`]
        : [`DROP DATABASE IF EXISTS ${id}`, `CREATE DATABASE ${id} CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin`]
      for (const sql of create ? statements : statements.slice(0, 1)) await conn.query(sql, [])
    } finally {
      conn.release()
    }
    return null
  } finally {
    await pool.end()
  }
}

const prepared = new Map<string, Promise<string | null>>()

function prepareOnce(provider: ProviderName, tag: string): Promise<string | null> {
  const key = `${provider}:${tag}`
  let done = prepared.get(key)
  if (done === undefined) {
    done = recreate(provider, checkTag(tag))
    prepared.set(key, done)
  }
  return done
}

function unreachable(provider: ProviderName, reason: string): string {
  const message = `${provider} unreachable at ${redact(serverUrl(provider))}: ${reason}`
  if (IN_CI) throw new Error(`${message} (CI=true: database tests must not be skipped)`)
  process.stderr.write(`\n!!!!!! pinto tests: ${message} — its tests are SKIPPED (set CI=true to fail instead) !!!!!!\n\n`)
  return message
}

const probes = new Map<string, string | null>()

/** Whether a TCP connection to the server opens, decided synchronously so that tests can be registered (or skipped) at load time. */
function probe(url: string): string | null {
  const cached = probes.get(url)
  if (cached !== undefined) return cached
  const { hostname, port } = new URL(url)
  const defaultPort = url.startsWith('postgres') ? '5432' : '3306'
  const script = `const s = require('node:net').connect(Number(process.argv[2]), process.argv[1]);
    s.setTimeout(${PROBE_TIMEOUT_MS}, () => { console.error('connection timed out'); process.exit(1) });
    s.on('connect', () => process.exit(0)); s.on('error', (e) => { console.error(e.message); process.exit(1) })`
  const result = spawnSync(process.execPath, ['-e', script, hostname.replace(/^\[|\]$/g, ''), port || defaultPort], { encoding: 'utf8' })
  const reason = result.status === 0 ? null : (result.stderr.trim() || 'no connection')
  probes.set(url, reason)
  return reason
}

/**
 * A `describe` per database for `body`; each creates its fresh schema before
 * its tests. An unreachable database becomes one visible skipped test (or,
 * with CI=true, a failure at load). `body` must register its tests
 * synchronously: node:test attaches tests registered after an `await` to the
 * top level, not to the database's `describe`. With `only`, the other
 * databases are neither probed nor touched and show as one named skip each.
 */
export function eachTarget(tag: string, body: (target: TestTarget) => void | Promise<void>, options: { readonly only?: readonly ProviderName[] } = {}): void {
  for (const target of plannedTargets(tag)) {
    if (options.only !== undefined && !options.only.includes(target.provider)) {
      it(target.provider, { skip: `these tests are for ${options.only.join(' and ')} only` }, () => undefined)
      continue
    }
    const reason = target.provider === 'sqlite' ? null : probe(serverUrl(target.provider))
    if (reason !== null) {
      unreachable(target.provider, reason)
      it(`${target.provider} at ${redact(serverUrl(target.provider))}`, { skip: `unreachable: ${reason}` }, () => undefined)
      continue
    }
    describe(target.provider, () => {
      before(async () => {
        const failed = await prepareOnce(target.provider, tag)
        if (failed !== null) throw new Error(`${target.provider} at ${redact(serverUrl(target.provider))}: ${failed}`)
      })
      const registered = body(target)
      after(async () => {
        const failed = await recreate(target.provider, checkTag(tag), false)
        if (failed !== null) throw new Error(`dropping the test schema on ${target.provider}: ${failed}`)
      })
      return registered
    })
  }
}
