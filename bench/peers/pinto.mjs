// pinto, written as its README and API.md show: entities from db.define,
// one dbSession per unit of work, lambdas with a `$` params object. pinto is
// loaded from its build (`dist/`, what `npm run build` emits and what users
// run in production), so the bench measures the same JavaScript they run;
// `bench/run.mjs` builds it first.
import { Database, dbSession, required, set, Int, desc, count, sum } from '../../dist/runtime/index.js'
import { clearCompilerCache, compilerStats, resetCompilerStats } from '../../dist/compiler/compile.js'
import createRaw from './raw.mjs'
import { SQLITE_FILE, PG_URL, MYSQL_URL, BATCH, w1Id, w2Age, w3Params, w4MinViews, w5Rows, w6Lo, w6Name, w7Email, w8Id } from '../lib/common.mjs'

export const meta = { name: 'pinto', version: 'repo build (dist/, tsc)' }

export default async function create(kind) {
  const db = new Database(kind === 'sqlite' ? { provider: 'sqlite', filename: SQLITE_FILE }
    : kind === 'postgres' ? { provider: 'postgres', connectionString: PG_URL, poolSize: 10 }
    : { provider: 'mysql', uri: MYSQL_URL, poolSize: 10 })
  const { User, Post } = db.define({
    User: {
      $table: 'users',
      name: required(String, { maxLen: 100 }),
      email: required(String, { unique: true, maxLen: 200 }),
      age: required(Int, { index: true }),
      createdAt: required(Date, { column: 'created_at' }),
      posts: set('Post'),
    },
    Post: {
      $table: 'posts',
      user: required('User', { column: 'user_id' }),
      title: required(String, { maxLen: 200 }),
      body: required(String),
      published: required(Boolean),
      views: required(Int),
    },
  })
  await db.generateMapping({ checkTables: true })

  const w1 = dbSession(async (i) => User.get(w1Id(i)))
  const w2 = dbSession(async (i) =>
    User.select((u, $) => u.age === $.age, { age: w2Age(i) }).orderBy((u) => desc(u.createdAt)).limit(20).fetch())
  const w3 = dbSession(async (i) => {
    const rows = await Post.select((p, $) => p.user.age === $.age && p.published && p.views > $.minViews, w3Params(i))
      .prefetch((p) => p.user).limit(50).fetch()
    return rows
  })
  const w4 = dbSession(async (i) =>
    Post.select((p, $) => p.views >= $.minViews, { minViews: w4MinViews(i) })
      .map((p) => ({ userId: p.user.id, posts: count(), views: sum(p.views) }))
      .orderBy((r) => [desc(r.views), r.userId]).limit(10).fetch())
  const w5 = dbSession(async (tag) => {
    for (const row of w5Rows(tag)) new User({ name: row.name, email: row.email, age: row.age, createdAt: row.created_at })
  })
  const w6 = dbSession(async (run) => {
    const lo = w6Lo(run)
    const users = await User.select((u, $) => u.id > $.lo && u.id <= $.hi, { lo, hi: lo + BATCH }).fetch()
    for (const u of users) u.name = w6Name(u.id, run)
    return users.length
  })
  const w7 = dbSession(async (i) => User.select((u, $) => u.email === $.email, { email: w7Email(i) }).fetch())
  const w8 = dbSession(async (n) => {
    await User.select((u, $) => u.id <= $.n, { n: BATCH }).fetch()
    const t0 = performance.now()
    for (let i = 0; i < n; i++) await User.get(w8Id(i))
    return performance.now() - t0
  })
  /** W9: compile cold (cache cleared) vs cached, and a cached query end to end vs the raw prepared statement. */
  async function w9(quick) {
    const RUNS = 5
    const median = (xs) => [...xs].sort((a, b) => a - b)[2]
    const out = []
    const measure = async (workload, label, n, op) => {
      for (let i = 0; i < Math.min(n, 200); i++) await op(i)
      const runs = []
      for (let r = 0; r < RUNS; r++) {
        const t0 = performance.now()
        for (let i = 0; i < n; i++) await op(i)
        runs.push(performance.now() - t0)
      }
      const ms = median(runs)
      out.push({ workload, label, n, unit: 'operations', runsMs: runs.map((x) => +x.toFixed(3)), medianMs: +ms.toFixed(3), opsPerSec: n / (ms / 1000) })
    }
    const w2q = (i) => User.select((u, $) => u.age === $.age, { age: w2Age(i) }).orderBy((u) => desc(u.createdAt)).limit(20)
    const w7q = (i) => User.select((u, $) => u.email === $.email, { email: w7Email(i) })
    const k = quick ? 1 : 5
    resetCompilerStats()
    await measure('W9 cold', 'compile, cache cleared (W2 shape; parsed lambda text stays cached)', 200 * k, (i) => { clearCompilerCache(); return w2q(i).getSql() })
    const cold = compilerStats()
    if (cold.translations < 200 * k) throw new Error(`W9: clearCompilerCache did not force translations (${JSON.stringify(cold)})`)
    await measure('W9 cached', 'compile + bind, cache hit (W2 shape, getSql)', 2000 * k, (i) => w2q(i).getSql())
    // a 100 KB lambda (2,450 conditions), a new text each time: parsed and translated from scratch (bench code may
    // build functions from text; pinto itself never does)
    const big = (i) => new Function(`return (u) => ${Array.from({ length: 2450 }, (_, t) => `(u.age === ${t} && u.name !== 'n${i}-${t}')`).join(' || ')}`)()
    const bigFns = Array.from({ length: 6 * 5 * k }, (_, i) => big(i))
    let nextBig = 0
    await measure('W9 large', 'compile a 100 KB lambda (2,450 conditions), parsed and translated from scratch', 5 * k, () => User.select(bigFns[nextBig++]).getSql())
    await measure('W9 cached W7', 'compile + bind, cache hit (W7 shape, getSql)', 2000 * k, (i) => w7q(i).getSql())
    await measure('W9 query', 'cached W7 query end to end, inside one session (no session cost)', (kind === 'sqlite' ? 1000 : 100) * k, async (i) => {
      return dbSession.run(async () => { for (let j = 0; j < 10; j++) await w7q(i * 10 + j).fetch() })
    })
    // per query, not per session of 10
    const last = out[out.length - 1]
    last.n *= 10; last.opsPerSec *= 10
    const raw = await createRaw(kind)
    await measure('W9 raw', 'raw driver prepared statement, same SQL (W7)', (kind === 'sqlite' ? 10000 : 1000) * k, (i) => raw.w7(i))
    await raw.close()
    return out.map((r) => ({ ...r, version: meta.version }))
  }
  return {
    w1, w2, w3, w4, w5, w6, w7, w8, w9,
    sql: () => ({
      w2: User.select((u, $) => u.age === $.age, { age: 30 }).orderBy((u) => desc(u.createdAt)).limit(20).getSql(),
      w3: Post.select((p, $) => p.user.age === $.age && p.published && p.views > $.minViews, w3Params(1)).prefetch((p) => p.user).limit(50).getSql(),
      w4: Post.select((p, $) => p.views >= $.minViews, { minViews: 100 }).map((p) => ({ userId: p.user.id, posts: count(), views: sum(p.views) })).orderBy((r) => [desc(r.views), r.userId]).limit(10).getSql(),
      w7: User.select((u, $) => u.email === $.email, { email: 'x' }).getSql(),
    }),
    db, User, Post,
    close: () => db.disconnect(),
  }
}
