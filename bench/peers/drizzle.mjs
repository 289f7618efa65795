// drizzle-orm, written as its docs recommend for speed: schema objects,
// the SQL-like query builder and prepared statements with sql.placeholder.
import { createRequire } from 'node:module'
import { and, eq, gt, gte, lte, desc, asc, count, sum, sql } from 'drizzle-orm'
import { pkgVersion, SQLITE_FILE, PG_URL, MYSQL_URL, BATCH, w1Id, w2Age, w3Params, w4MinViews, w5Rows, w6Lo, w6Name, w7Email, w8Id } from '../lib/common.mjs'
const require = createRequire(import.meta.url)
const ph = (n) => sql.placeholder(n)

export const meta = { name: 'drizzle', version: `drizzle-orm ${pkgVersion('drizzle-orm')}` }

async function schema(kind) {
  if (kind === 'sqlite') {
    const { sqliteTable, integer, text } = await import('drizzle-orm/sqlite-core')
    const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name').notNull(), email: text('email').notNull().unique(), age: integer('age').notNull(), createdAt: text('created_at').notNull() })
    const posts = sqliteTable('posts', { id: integer('id').primaryKey(), userId: integer('user_id').notNull().references(() => users.id), title: text('title').notNull(), body: text('body').notNull(), published: integer('published', { mode: 'boolean' }).notNull(), views: integer('views').notNull() })
    return { users, posts }
  }
  if (kind === 'postgres') {
    const { pgTable, integer, varchar, text, boolean, timestamp } = await import('drizzle-orm/pg-core')
    const users = pgTable('users', { id: integer('id').primaryKey().generatedByDefaultAsIdentity(), name: varchar('name', { length: 100 }).notNull(), email: varchar('email', { length: 200 }).notNull().unique(), age: integer('age').notNull(), createdAt: timestamp('created_at', { withTimezone: true, precision: 3, mode: 'date' }).notNull() })
    const posts = pgTable('posts', { id: integer('id').primaryKey().generatedByDefaultAsIdentity(), userId: integer('user_id').notNull().references(() => users.id), title: varchar('title', { length: 200 }).notNull(), body: text('body').notNull(), published: boolean('published').notNull(), views: integer('views').notNull() })
    return { users, posts }
  }
  const { mysqlTable, int, varchar, longtext, boolean, datetime } = await import('drizzle-orm/mysql-core')
  const users = mysqlTable('users', { id: int('id').primaryKey().autoincrement(), name: varchar('name', { length: 100 }).notNull(), email: varchar('email', { length: 200 }).notNull().unique(), age: int('age').notNull(), createdAt: datetime('created_at', { mode: 'date', fsp: 3 }).notNull() })
  const posts = mysqlTable('posts', { id: int('id').primaryKey().autoincrement(), userId: int('user_id').notNull().references(() => users.id), title: varchar('title', { length: 200 }).notNull(), body: longtext('body').notNull(), published: boolean('published').notNull(), views: int('views').notNull() })
  return { users, posts }
}

export default async function create(kind) {
  const { users, posts } = await schema(kind)
  let db, close
  if (kind === 'sqlite') {
    const { drizzle } = await import('drizzle-orm/better-sqlite3')
    const Database = require('better-sqlite3')
    const client = new Database(SQLITE_FILE)
    client.pragma('foreign_keys = ON')
    db = drizzle({ client })
    close = async () => client.close()
  } else if (kind === 'postgres') {
    const { drizzle } = await import('drizzle-orm/node-postgres')
    const pg = require('pg')
    const client = new pg.Pool({ connectionString: PG_URL, max: 10 })
    db = drizzle({ client })
    close = () => client.end()
  } else {
    const { drizzle } = await import('drizzle-orm/mysql2')
    const mysql = require('mysql2/promise')
    const client = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 10, timezone: 'Z' })
    db = drizzle({ client })
    close = () => client.end()
  }
  const prep = (q, name) => (kind === 'postgres' ? q.prepare(name) : q.prepare())
  const run = (p, values) => (kind === 'sqlite' ? p.all(values) : p.execute(values))
  const q1 = prep(db.select().from(users).where(eq(users.id, ph('id'))), 'w1')
  const q2 = prep(db.select().from(users).where(eq(users.age, ph('age'))).orderBy(desc(users.createdAt)).limit(20), 'w2')
  const q3 = prep(db.select().from(posts).innerJoin(users, eq(posts.userId, users.id))
    .where(and(eq(users.age, ph('age')), eq(posts.published, true), gt(posts.views, ph('minViews')))).limit(50), 'w3')
  const q4 = prep(db.select({ userId: posts.userId, posts: count(), views: sum(posts.views) }).from(posts)
    .where(gte(posts.views, ph('minViews'))).groupBy(posts.userId).orderBy(desc(sum(posts.views)), asc(posts.userId)).limit(10), 'w4')
  const q7 = prep(db.select().from(users).where(eq(users.email, ph('email'))), 'w7')
  const created = (d) => (kind === 'sqlite' ? d.toISOString() : d)
  const byId = async (id) => (kind === 'sqlite' ? q1.get({ id }) : (await q1.execute({ id }))[0])
  return {
    w1: (i) => byId(w1Id(i)),
    w2: async (i) => run(q2, { age: w2Age(i) }),
    w3: async (i) => (await run(q3, w3Params(i))).map((r) => ({ ...r.posts, user: r.users })),
    w4: async (i) => run(q4, { minViews: w4MinViews(i) }),
    w5: kind === 'sqlite'
      ? async (tag) => db.transaction((tx) => { tx.insert(users).values(w5Rows(tag).map((r) => ({ name: r.name, email: r.email, age: r.age, createdAt: created(r.created_at) }))).run() })
      : async (tag) => { await db.insert(users).values(w5Rows(tag).map((r) => ({ name: r.name, email: r.email, age: r.age, createdAt: r.created_at }))) },
    w6: kind === 'sqlite'
      ? async (r) => db.transaction((tx) => {
          const lo = w6Lo(r)
          const rows = tx.select().from(users).where(and(gt(users.id, lo), lte(users.id, lo + BATCH))).all()
          for (const u of rows) tx.update(users).set({ name: w6Name(u.id, r) }).where(eq(users.id, u.id)).run()
          return rows.length
        })
      : async (r) => db.transaction(async (tx) => {
          const lo = w6Lo(r)
          const rows = await tx.select().from(users).where(and(gt(users.id, lo), lte(users.id, lo + BATCH)))
          for (const u of rows) await tx.update(users).set({ name: w6Name(u.id, r) }).where(eq(users.id, u.id))
          return rows.length
        }),
    w7: async (i) => run(q7, { email: w7Email(i) }),
    w8: async (n) => { const t0 = performance.now(); for (let i = 0; i < n; i++) await byId(w8Id(i)); return performance.now() - t0 },
    close,
  }
}
