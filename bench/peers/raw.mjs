// The floor: the raw driver with prepared statements, the way each driver's
// documentation shows (better-sqlite3 `prepare` once, `get/all/run`; pg named
// prepared statements on a Pool; mysql2 `execute` on a pool). No identity map,
// no hydration beyond what the driver itself does.
import { createRequire } from 'node:module'
import { SQLITE_FILE, PG_URL, MYSQL_URL, BATCH, w1Id, w2Age, w3Params, w4MinViews, w5Rows, w6Lo, w6Name, w7Email, w8Id } from '../lib/common.mjs'
const require = createRequire(import.meta.url)

const SQL = {
  w1: 'SELECT id, name, email, age, created_at FROM users WHERE id = ?',
  w2: 'SELECT id, name, email, age, created_at FROM users WHERE age = ? ORDER BY created_at DESC LIMIT 20',
  w3: 'SELECT p.id, p.user_id, p.title, p.body, p.published, p.views, u.id AS u_id, u.name AS u_name, u.email AS u_email, u.age AS u_age, u.created_at AS u_created_at FROM posts p JOIN users u ON u.id = p.user_id WHERE u.age = ? AND p.published = TRUE AND p.views > ? LIMIT 50',
  w4: 'SELECT user_id, COUNT(*) AS posts, SUM(views) AS views FROM posts WHERE views >= ? GROUP BY user_id ORDER BY SUM(views) DESC, user_id LIMIT 10',
  w5: 'INSERT INTO users (name, email, age, created_at) VALUES (?, ?, ?, ?)',
  w6s: 'SELECT id, name, email, age, created_at FROM users WHERE id > ? AND id <= ?',
  w6u: 'UPDATE users SET name = ? WHERE id = ?',
  w7: 'SELECT id, name, email, age, created_at FROM users WHERE email = ?',
}
const pgSql = (s) => { let n = 0; return s.replace(/\?/g, () => `$${++n}`) }
/** W3 rows nested as { post, user } (what an ORM hands back). */
const nest = (r) => ({ id: r.id, user_id: r.user_id, title: r.title, body: r.body, published: r.published, views: r.views, user: { id: r.u_id, name: r.u_name, email: r.u_email, age: r.u_age, created_at: r.u_created_at } })

export const meta = { name: 'raw', version: null }

export default async function create(kind) {
  if (kind === 'sqlite') {
    const Database = require('better-sqlite3')
    meta.version = `better-sqlite3 ${require('better-sqlite3/package.json').version}`
    const db = new Database(SQLITE_FILE)
    db.pragma('foreign_keys = ON')
    const st = Object.fromEntries(Object.entries(SQL).map(([k, s]) => [k, db.prepare(s)]))
    const w5tx = db.transaction((rows) => { for (const r of rows) st.w5.run(r.name, r.email, r.age, r.created_at.toISOString()) })
    const w6tx = db.transaction((run) => {
      const lo = w6Lo(run)
      const rows = st.w6s.all(lo, lo + BATCH)
      for (const r of rows) st.w6u.run(w6Name(r.id, run), r.id)
      return rows.length
    })
    return {
      w1: async (i) => st.w1.get(w1Id(i)),
      w2: async (i) => st.w2.all(w2Age(i)),
      w3: async (i) => { const p = w3Params(i); return st.w3.all(p.age, p.minViews).map(nest) },
      w4: async (i) => st.w4.all(w4MinViews(i)),
      w5: async (tag) => w5tx(w5Rows(tag)),
      w6: async (run) => w6tx(run),
      w7: async (i) => st.w7.all(w7Email(i)),
      w8: async (n) => { const t0 = performance.now(); for (let i = 0; i < n; i++) await st.w1.get(w8Id(i)); return performance.now() - t0 },
      close: async () => db.close(),
    }
  }
  if (kind === 'postgres') {
    const pg = require('pg')
    meta.version = `pg ${require('pg/package.json').version}`
    const pool = new pg.Pool({ connectionString: PG_URL, max: 10 })
    // Named (server-side prepared) statements for every workload, as the ORMs' prepared statements are; the
    // texts are rewritten to $n once, not per call.
    const PG = Object.fromEntries(Object.entries(SQL).map(([k, text]) => [k, pgSql(text)]))
    const q = (name, values, client = pool) => client.query({ name, text: PG[name], values })
    const w5sql = (n) => `INSERT INTO users (name, email, age, created_at) VALUES ${Array.from({ length: n }, (_, k) => `($${4 * k + 1}, $${4 * k + 2}, $${4 * k + 3}, $${4 * k + 4})`).join(', ')}`
    const W5 = w5sql(BATCH)
    return {
      w1: async (i) => (await q('w1', [w1Id(i)])).rows[0],
      w2: async (i) => (await q('w2', [w2Age(i)])).rows,
      w3: async (i) => { const p = w3Params(i); return (await q('w3', [p.age, p.minViews])).rows.map(nest) },
      w4: async (i) => (await q('w4', [w4MinViews(i)])).rows,
      w5: async (tag) => {
        const values = w5Rows(tag).flatMap((r) => [r.name, r.email, r.age, r.created_at])
        await pool.query({ name: 'w5', text: W5, values })
      },
      w6: async (run) => {
        const client = await pool.connect()
        try {
          await client.query('BEGIN')
          const lo = w6Lo(run)
          const { rows } = await q('w6s', [lo, lo + BATCH], client)
          for (const r of rows) await q('w6u', [w6Name(r.id, run), r.id], client)
          await client.query('COMMIT')
          return rows.length
        } catch (e) { await client.query('ROLLBACK'); throw e } finally { client.release() }
      },
      w7: async (i) => (await q('w7', [w7Email(i)])).rows,
      w8: async (n) => { const t0 = performance.now(); for (let i = 0; i < n; i++) await q('w1', [w8Id(i)]); return performance.now() - t0 },
      close: () => pool.end(),
    }
  }
  const mysql = require('mysql2/promise')
  meta.version = `mysql2 ${require('mysql2/package.json').version}`
  const pool = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 10, timezone: 'Z' })
  const x = async (name, values, conn = pool) => (await conn.execute(SQL[name], values))[0]
  return {
    w1: async (i) => (await x('w1', [w1Id(i)]))[0],
    w2: async (i) => x('w2', [w2Age(i)]),
    w3: async (i) => { const p = w3Params(i); return (await x('w3', [p.age, p.minViews])).map(nest) },
    w4: async (i) => x('w4', [w4MinViews(i)]),
    w5: async (tag) => { await pool.query('INSERT INTO users (name, email, age, created_at) VALUES ?', [w5Rows(tag).map((r) => [r.name, r.email, r.age, r.created_at])]) },
    w6: async (run) => {
      const conn = await pool.getConnection()
      try {
        await conn.beginTransaction()
        const lo = w6Lo(run)
        const rows = await x('w6s', [lo, lo + BATCH], conn)
        for (const r of rows) await x('w6u', [w6Name(r.id, run), r.id], conn)
        await conn.commit()
        return rows.length
      } catch (e) { await conn.rollback(); throw e } finally { conn.release() }
    },
    w7: async (i) => x('w7', [w7Email(i)]),
    w8: async (n) => { const t0 = performance.now(); for (let i = 0; i < n; i++) await x('w1', [w8Id(i)]); return performance.now() - t0 },
    close: () => pool.end(),
  }
}
