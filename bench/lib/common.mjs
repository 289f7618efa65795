// Shared by every peer: connection settings, the deterministic data set and
// the per-operation parameters of each workload, so that every peer runs
// exactly the same queries with exactly the same values.
import { fileURLToPath } from 'node:url'
import path from 'node:path'

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const SQLITE_FILE = process.env.PINTO_BENCH_SQLITE ?? path.join(BENCH_DIR, '.data', 'bench.sqlite')
/** The servers of `npm test`; the bench uses its own database on them (created if missing), never `test`. */
export const PG_SERVER_URL = process.env.PINTO_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
export const MYSQL_SERVER_URL = process.env.PINTO_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'
export const BENCH_DB_NAME = process.env.PINTO_BENCH_DB ?? 'pinto_bench'
const withDb = (url, name) => { const u = new URL(url); u.pathname = `/${name}`; return u.toString() }
export const PG_URL = withDb(PG_SERVER_URL, BENCH_DB_NAME)
export const MYSQL_URL = withDb(MYSQL_SERVER_URL, BENCH_DB_NAME)

export const N_USERS = 10_000
export const N_POSTS = 50_000
export const DATA_VERSION = 'pinto-bench-v1'
/** Rows inserted by W5 get this age, so they never match W2/W3 filters; they are deleted after each W5 process. */
export const W5_AGE = 200
export const BATCH = 1000

/** mulberry32: a small deterministic PRNG. */
export function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(' ')
const EPOCH = Date.UTC(2020, 0, 1)

export function* users() {
  const r = rng(42)
  for (let id = 1; id <= N_USERS; id++) {
    yield { id, name: `User ${id}`, email: `user${id}@example.com`, age: 18 + Math.floor(r() * 80), created_at: new Date(EPOCH + id * 3_600_000 + Math.floor(r() * 3_600_000)) }
  }
}

export function* posts() {
  const r = rng(7)
  for (let id = 1; id <= N_POSTS; id++) {
    const words = []
    const n = 20 + Math.floor(r() * 20)
    for (let k = 0; k < n; k++) words.push(WORDS[Math.floor(r() * WORDS.length)])
    yield { id, user_id: 1 + Math.floor(r() * N_USERS), title: `Post ${id}: ${words.slice(0, 4).join(' ')}`, body: words.join(' '), published: r() < 0.5, views: Math.floor(r() * 10_000) }
  }
}

// ---- per-operation parameters (identical for every peer) ----
export const w1Id = (i) => 1 + ((i * 7919) % N_USERS)
export const w2Age = (i) => 18 + (i % 80)
export const w3Params = (i) => ({ age: 18 + ((i * 13) % 80), minViews: (i * 37) % 5000 })
export const w4MinViews = (i) => (i % 10) * 100
export const w7Email = (i) => `user${1 + ((i * 7919) % N_USERS)}@example.com`
/** W5: the rows of one transaction; `tag` makes emails unique across runs and processes. */
export function w5Rows(tag) {
  const out = []
  const created = new Date(Date.UTC(2024, 0, 1))
  for (let k = 0; k < BATCH; k++) out.push({ name: `New ${tag}-${k}`, email: `new-${tag}-${k}@example.com`, age: W5_AGE, created_at: created })
  return out
}
/** W6: the id range (lo, lo + 1000] of one run, and the new name of a user. */
export const w6Lo = (run) => (run * BATCH) % (N_USERS - BATCH)
/** Unique per process, so a new name always differs from the stored one (a library may skip unchanged values). */
export const PROCESS_TAG = `${process.pid.toString(36)}${Date.now().toString(36)}`
export const w6Name = (id, run) => `User ${id} ${PROCESS_TAG}-${run}`
/** W8: ids preloaded into the session, then read again. */
export const w8Id = (i) => 1 + (i % BATCH)

// ---- the SQL both raw floors send (and what the ORMs should produce) ----
export const USER_COLS = 'id, name, email, age, created_at'

/** A dependency's installed version (read from bench/node_modules, whatever its `exports`). */
import fs from 'node:fs'
export function pkgVersion(name) {
  try { return JSON.parse(fs.readFileSync(path.join(BENCH_DIR, 'node_modules', name, 'package.json'), 'utf8')).version } catch { return '?' }
}
