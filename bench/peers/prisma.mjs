// Prisma 7, as its docs show: the `prisma-client` generator with
// `engineType = "client"` (the Rust-free client: the query compiler is WASM
// from npm) and a driver adapter per database (@prisma/adapter-better-sqlite3,
// @prisma/adapter-pg, @prisma/adapter-mariadb); the model API (findUnique,
// findMany with `include`, groupBy), createMany for bulk inserts, interactive
// `$transaction(async (tx) => …)` with one `update` per changed row.
//
// The client is generated from prisma/<provider>.prisma (the bench's tables,
// mapped with @@map/@map; no migrations) by bench/run.mjs before the runs:
// `prisma generate` into .prisma/<db>/ (TypeScript), then tsc into
// .prisma/<db>/js/, which is what this peer imports: compiled JavaScript, as
// an application ships it (not through tsx). If generation failed, run.mjs
// left .prisma/<db>.error and every cell reports that as `setup failed`.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { BENCH_DIR, pkgVersion, SQLITE_FILE, PG_URL, MYSQL_URL, BATCH, w1Id, w2Age, w3Params, w4MinViews, w5Rows, w6Lo, w6Name, w7Email, w8Id } from '../lib/common.mjs'

export const meta = { name: 'prisma', version: `@prisma/client ${pkgVersion('@prisma/client')}` }

async function client(kind) {
  const dir = path.join(BENCH_DIR, '.prisma', kind)
  const errFile = path.join(BENCH_DIR, '.prisma', `${kind}.error`)
  if (fs.existsSync(errFile)) throw new Error(fs.readFileSync(errFile, 'utf8').trim())
  const entry = path.join(dir, 'js', 'client.js')
  if (!fs.existsSync(entry)) throw new Error(`no generated Prisma client in .prisma/${kind}/js (bench/run.mjs generates it when --peers includes prisma)`)
  const { PrismaClient } = await import(pathToFileURL(entry).href)
  let adapter
  if (kind === 'sqlite') {
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3')
    adapter = new PrismaBetterSqlite3({ url: `file:${SQLITE_FILE}` })
  } else if (kind === 'postgres') {
    const { PrismaPg } = await import('@prisma/adapter-pg')
    adapter = new PrismaPg({ connectionString: PG_URL, max: 10 })
  } else {
    const { PrismaMariaDb } = await import('@prisma/adapter-mariadb')
    const u = new URL(MYSQL_URL)
    adapter = new PrismaMariaDb({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) || undefined, database: u.pathname.slice(1), connectionLimit: 10 })
  }
  return new PrismaClient({ adapter })
}

export default async function create(kind) {
  const prisma = await client(kind)
  await prisma.$connect()
  const byId = (id) => prisma.user.findUnique({ where: { id } })
  return {
    w1: (i) => byId(w1Id(i)),
    w2: (i) => prisma.user.findMany({ where: { age: w2Age(i) }, orderBy: { createdAt: 'desc' }, take: 20 }),
    w3: (i) => {
      const p = w3Params(i)
      return prisma.post.findMany({ where: { published: true, views: { gt: p.minViews }, user: { age: p.age } }, include: { user: true }, take: 50 })
    },
    // groupBy's own shape ({ userId, _count: { _all }, _sum: { views } }), 10 groups as CHECKS.W4 expects.
    w4: (i) => prisma.post.groupBy({
      by: ['userId'], where: { views: { gte: w4MinViews(i) } }, _count: { _all: true }, _sum: { views: true },
      orderBy: [{ _sum: { views: 'desc' } }, { userId: 'asc' }], take: 10,
    }),
    // createMany, Prisma's bulk insert, in a (sequential-operations) transaction.
    w5: (tag) => prisma.$transaction([prisma.user.createMany({ data: w5Rows(tag).map((r) => ({ name: r.name, email: r.email, age: r.age, createdAt: r.created_at })) })]),
    // No unit of work: an interactive transaction, one `update` per row (updateMany would set one value for all).
    // Its 1,001 statements take up to 3 s on MariaDB, near Prisma's default limit of 5 s for an interactive
    // transaction, so it gets the `timeout` option Prisma's documentation gives for long transactions.
    w6: (run) => prisma.$transaction(async (tx) => {
      const lo = w6Lo(run)
      const rows = await tx.user.findMany({ where: { id: { gt: lo, lte: lo + BATCH } } })
      for (const u of rows) await tx.user.update({ where: { id: u.id }, data: { name: w6Name(u.id, run) } })
      return rows.length
    }, { timeout: 60_000 }),
    w7: (i) => prisma.user.findMany({ where: { email: w7Email(i) } }),
    // No identity map: the row is queried again.
    w8: async (n) => { const t0 = performance.now(); for (let i = 0; i < n; i++) await byId(w8Id(i)); return performance.now() - t0 },
    close: () => prisma.$disconnect(),
  }
}
