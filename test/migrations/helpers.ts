/**
 * Helpers for migration tests: the live schema in a comparable form
 * (columns, indexes, checks sorted by name; foreign keys by what they
 * reference, since SQLite does not name them), emptying a test schema with
 * a migration to an empty model, and checking that a migrated schema equals
 * the one a fresh `generateMapping({ createTables: true })` creates.
 */
import assert from 'node:assert/strict'
import { Database } from '../../runtime/index.js'
import type { LiveTable } from '../../dialects/shared/introspect-types.js'
import type { BindOptions } from '../../dialects/dialect.js'
import type { TestTarget } from '../support/databases.js'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Bind options shared by several Database objects: SQLite needs a file, since each ':memory:' is its own database. */
export function sharedOptions(target: TestTarget, label: string): BindOptions {
  if (target.provider !== 'sqlite') return target.options
  return { provider: 'sqlite', filename: join(mkdtempSync(join(tmpdir(), `pinto-${label}-`)), 'db.sqlite') }
}

let counter = 0

/** The live schema (without the history table), normalised for comparison. */
export async function liveSchema(db: Database): Promise<unknown[]> {
  const conn = await db.acquireFor(null)
  let tables: LiveTable[]
  try {
    tables = await db.dialect.introspect.readSchema(async (sql, params = []) => (await conn.query(sql, params)).rows)
  } finally {
    db.release(conn)
  }
  const byName = <T extends { name: string }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => a.name.localeCompare(b.name))
  return byName(tables.filter((t) => t.name !== 'pinto_migrations')).map((t) => ({
    ...t,
    columns: byName(t.columns),
    indexes: byName(t.indexes),
    checks: byName(t.checks),
    foreignKeys: t.foreignKeys.map((fk) => `${fk.columns.join(',')}->${fk.refTable}(${fk.refColumns.join(',')}) ${fk.onDelete}`).sort(),
  }))
}

/** Drop every table of the test schema (a migration to an empty model). */
export async function resetSchema(options: BindOptions): Promise<void> {
  const empty = new Database(options)
  try {
    await empty.migrations.apply({ name: `reset-${process.pid}-${++counter}`, allowDataLoss: true })
  } finally {
    await empty.disconnect()
  }
}

/** The migrated schema of `db` equals what a fresh generateMapping creates for the same model. */
export async function assertConverged(options: BindOptions, db: Database): Promise<void> {
  const migrated = await liveSchema(db)
  assert.ok(migrated.length > 0, 'the migrated schema has tables')
  await resetSchema(options)
  await db.generateMapping({ createTables: true })
  assert.deepEqual(migrated, await liveSchema(db))
}

/** A unique migration name. */
export function nextName(label: string): string {
  return `${label}-${process.pid}-${++counter}`
}
