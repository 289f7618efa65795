// Kysely, as its docs show: one Kysely instance over the dialect's pool,
// the type-safe query builder, transactions with db.transaction().execute().
import { createRequire } from 'node:module'
import { Kysely, SqliteDialect, PostgresDialect, MysqlDialect, sql } from 'kysely'
import { pkgVersion, SQLITE_FILE, PG_URL, MYSQL_URL, BATCH, w1Id, w2Age, w3Params, w4MinViews, w5Rows, w6Lo, w6Name, w7Email, w8Id } from '../lib/common.mjs'
const require = createRequire(import.meta.url)

export const meta = { name: 'kysely', version: `kysely ${pkgVersion('kysely')}` }

const USER = ['id', 'name', 'email', 'age', 'created_at']
export default async function create(kind) {
  let dialect
  if (kind === 'sqlite') {
    const Database = require('better-sqlite3')
    const database = new Database(SQLITE_FILE)
    database.pragma('foreign_keys = ON')
    dialect = new SqliteDialect({ database })
  } else if (kind === 'postgres') {
    const pg = require('pg')
    dialect = new PostgresDialect({ pool: new pg.Pool({ connectionString: PG_URL, max: 10 }) })
  } else {
    const mysql = require('mysql2')
    dialect = new MysqlDialect({ pool: mysql.createPool({ uri: MYSQL_URL, connectionLimit: 10, timezone: 'Z' }) })
  }
  const db = new Kysely({ dialect })
  const TRUE = kind === 'sqlite' ? 1 : true
  const created = (d) => (kind === 'sqlite' ? d.toISOString() : d)
  const byId = (id) => db.selectFrom('users').select(USER).where('id', '=', id).executeTakeFirst()
  return {
    w1: (i) => byId(w1Id(i)),
    w2: (i) => db.selectFrom('users').select(USER).where('age', '=', w2Age(i)).orderBy('created_at', 'desc').limit(20).execute(),
    w3: async (i) => {
      const p = w3Params(i)
      const rows = await db.selectFrom('posts as p').innerJoin('users as u', 'u.id', 'p.user_id')
        .select(['p.id', 'p.user_id', 'p.title', 'p.body', 'p.published', 'p.views', 'u.name as u_name', 'u.email as u_email', 'u.age as u_age', 'u.created_at as u_created_at'])
        .where('u.age', '=', p.age).where('p.published', '=', TRUE).where('p.views', '>', p.minViews).limit(50).execute()
      return rows.map((r) => ({ id: r.id, user_id: r.user_id, title: r.title, body: r.body, published: r.published, views: r.views, user: { id: r.user_id, name: r.u_name, email: r.u_email, age: r.u_age, created_at: r.u_created_at } }))
    },
    w4: (i) => db.selectFrom('posts').select((eb) => ['user_id', eb.fn.countAll().as('posts'), eb.fn.sum('views').as('views')])
      .where('views', '>=', w4MinViews(i)).groupBy('user_id').orderBy(sql`sum(views)`, 'desc').orderBy('user_id').limit(10).execute(),
    w5: (tag) => db.transaction().execute((trx) => trx.insertInto('users').values(w5Rows(tag).map((r) => ({ name: r.name, email: r.email, age: r.age, created_at: created(r.created_at) }))).execute()),
    w6: (run) => db.transaction().execute(async (trx) => {
      const lo = w6Lo(run)
      const rows = await trx.selectFrom('users').select(USER).where('id', '>', lo).where('id', '<=', lo + BATCH).execute()
      for (const u of rows) await trx.updateTable('users').set({ name: w6Name(u.id, run) }).where('id', '=', u.id).execute()
      return rows.length
    }),
    w7: (i) => db.selectFrom('users').select(USER).where('email', '=', w7Email(i)).execute(),
    w8: async (n) => { const t0 = performance.now(); for (let i = 0; i < n; i++) await byId(w8Id(i)); return performance.now() - t0 },
    close: () => db.destroy(),
  }
}
