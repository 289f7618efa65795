/**
 * Reading the live schema sends a fixed number of statements, however many
 * tables, indexes and foreign keys there are (SQLite joins its pragma table
 * functions with sqlite_master instead of asking table by table).
 */
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { Database, required, optional, set, Int } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { resetSchema, sharedOptions } from '../migrations/helpers.js'

/** A chain of n tables, each with an index, a unique key, and (after the first) a foreign key to the one before. */
function chain(db: Database, n: number): void {
  const model: Record<string, Record<string, unknown>> = {}
  for (let i = 0; i < n; i++) {
    model[`T${i}`] = {
      title: required(String, { maxLen: 20, index: true }),
      code: optional(String, { maxLen: 10, unique: true }),
      rank: optional(Int),
      ...(i > 0 ? { owner: required(`T${i - 1}`) } : {}),
      ...(i < n - 1 ? { items: set(`T${i + 1}`) } : {}),
    }
  }
  db.define(model as never)
}

/** Introspect `db`'s database, counting the statements sent. */
async function introspect(db: Database): Promise<{ statements: number; tables: number; indexes: number; foreignKeys: number }> {
  const conn = await db.acquireFor(null)
  let statements = 0
  try {
    const tables = (await db.dialect.introspect.readSchema(async (sql, params = []) => {
      statements++
      return (await conn.query(sql, params)).rows
    })).filter((t) => t.name !== 'pinto_migrations')
    const sum = (f: (t: (typeof tables)[number]) => number): number => tables.reduce((n, t) => n + f(t), 0)
    return { statements, tables: tables.length, indexes: sum((t) => t.indexes.length), foreignKeys: sum((t) => t.foreignKeys.length) }
  } finally {
    db.release(conn)
  }
}

eachTarget('introspect', (target) => {
  const options = sharedOptions(target, 'introspect')

  it('introspecting 10 tables sends as many statements as 2', async () => {
    const counts: number[] = []
    for (const n of [2, 10]) {
      await resetSchema(options)
      const db = new Database(options)
      chain(db, n)
      try {
        await db.generateMapping({ createTables: true })
        const seen = await introspect(db)
        // Each table has its title index and code unique key; each but the first an index on its foreign key column.
        assert.deepEqual({ tables: seen.tables, indexes: seen.indexes, foreignKeys: seen.foreignKeys }, { tables: n, indexes: 3 * n - 1, foreignKeys: n - 1 })
        counts.push(seen.statements)
      } finally {
        await db.disconnect()
      }
    }
    assert.equal(counts[1], counts[0], `statements for 2 and 10 tables: ${counts.join(', ')}`)
  })
})
