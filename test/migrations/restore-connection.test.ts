// SQLite migrations turn foreign keys off around the whole plan and back on
// after it, outside the transaction. If turning them back on fails or does
// not take effect (SQLite ignores the pragma, without an error, while a
// transaction is open), the error surfaces and the connection is destroyed,
// so that no later session gets a connection with foreign keys off. A file
// database is used: destroying its connection reopens it, where ':memory:'
// is the database itself and is kept.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { MigrationStep } from '../../dialects/shared/introspect-types.js'
import { Database, Int, required } from '../../runtime/index.js'
import { applyPlan } from '../../runtime/migrations/migrations.js'
import { ConnectionNotRestored, restoreConnection } from '../../runtime/migrations/restore.js'

/** `body` on a new SQLite file database with one entity (its tables not created yet), then the file removed. */
async function withFileDatabase(body: (db: Database) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pinto-restore-'))
  const db = new Database({ provider: 'sqlite', filename: join(dir, 'db.sqlite') })
  db.define({ Person: { name: required(String), age: required(Int) } })
  try {
    await body(db)
  } finally {
    await db.disconnect()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `PRAGMA foreign_keys` on the connection the pool gives next. */
async function foreignKeysOfNextConnection(db: Database): Promise<unknown> {
  const conn = await db.acquireFor(null)
  try {
    return (await conn.query('PRAGMA foreign_keys', [])).rows[0]?.[0]
  } finally {
    db.release(conn)
  }
}

/** The plan with `extra` run in the 'after' phase just before SQLite's `PRAGMA foreign_keys = ON`. */
async function planWithAfterSteps(db: Database, extra: readonly MigrationStep[]) {
  const plan = await db.migrations.plan()
  const after = plan.steps.filter((s) => s.phase === 'after')
  assert.deepEqual(after.map((s) => s.sql), ['PRAGMA foreign_keys = ON'])
  return { ...plan, steps: [...plan.steps.filter((s) => s.phase !== 'after'), ...extra, ...after] }
}

describe('SQLite: the connection of a migration is restored or destroyed', () => {
  it('a foreign-keys pragma that does not take effect is read back and refused', async () => {
    await withFileDatabase(async (db) => {
      const restoreSteps = (await db.migrations.plan()).steps.filter((s) => s.phase === 'after')
      assert.deepEqual(restoreSteps.map((s) => [s.sql, s.readBack?.sql, s.readBack?.expected]), [['PRAGMA foreign_keys = ON', 'PRAGMA foreign_keys', '1']])
      const conn = await db.acquireFor(null)
      try {
        await conn.query('PRAGMA foreign_keys = OFF', [])
        await conn.query('BEGIN', [])
        await assert.rejects(
          restoreConnection(conn, db.log, 'm', restoreSteps, undefined),
          (e: unknown) => e instanceof ConnectionNotRestored && /PRAGMA foreign_keys reads 0 afterwards, not 1/.test((e as Error).message),
        )
        await conn.query('ROLLBACK', [])
        await restoreConnection(conn, db.log, 'm', restoreSteps, undefined)
        assert.deepEqual((await conn.query('PRAGMA foreign_keys', [])).rows, [[1n]])
      } finally {
        db.release(conn)
      }
    })
  })

  it('apply: a transaction left open before the pragma surfaces as ConnectionNotRestored; the next connection has foreign keys on', async () => {
    await withFileDatabase(async (db) => {
      const plan = await planWithAfterSteps(db, [{ sql: 'BEGIN', phase: 'after' }])
      await assert.rejects(applyPlan(db, plan, { name: 'open-transaction' }), (e: unknown) => {
        assert.ok(e instanceof ConnectionNotRestored, String(e))
        assert.match(e.message, /migration 'open-transaction' was applied, but its connection could not be restored: PRAGMA foreign_keys = ON: PRAGMA foreign_keys reads 0/)
        assert.equal(e.migrationError, undefined)
        return true
      })
      assert.equal(await foreignKeysOfNextConnection(db), 1n)
      assert.deepEqual((await db.migrations.history()).map((h) => h.name), ['open-transaction'], 'the migration itself committed')
    })
  })

  it('apply: a failing restore statement surfaces (it was swallowed) and the connection is destroyed', async () => {
    await withFileDatabase(async (db) => {
      const before = await db.acquireFor(null)
      db.release(before)
      const plan = await planWithAfterSteps(db, [{ sql: 'SELECT * FROM pinto_no_such_table', phase: 'after' }])
      await assert.rejects(applyPlan(db, plan, { name: 'failing-restore' }), (e: unknown) => {
        assert.ok(e instanceof ConnectionNotRestored, String(e))
        assert.equal(e.statement, 'SELECT * FROM pinto_no_such_table')
        assert.match(e.message, /no such table: pinto_no_such_table/)
        return true
      })
      const after = await db.acquireFor(null)
      db.release(after)
      assert.notEqual(after, before, 'the pool opened a new connection in place of the destroyed one')
      assert.equal(await foreignKeysOfNextConnection(db), 1n)
    })
  })
})
