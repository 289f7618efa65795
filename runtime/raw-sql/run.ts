/**
 * `db.select`, `db.get`, `db.exists` and `db.execute`: a `sql` fragment
 * rendered for the bound dialect and run inside the current dbSession under
 * its rules. Pending changes are flushed first, so the statement sees them;
 * reads borrow a connection (or use the session's transaction), and
 * `execute` is a write: it starts the session's transaction, which commits
 * or rolls back with the session.
 */
import { MultipleObjectsFoundError, ObjectNotFound } from '../../compiler/errors.js'
import type { QueryResult } from '../../dialects/dialect.js'
import type { Database } from '../database.js'
import { requireSession } from '../session/session.js'
import type { SessionDb } from '../session/session-db.js'
import { renderSql } from './render.js'
import { rowObjects } from './rows.js'
import { assertFragment } from './template.js'

export type Row = Record<string, unknown>

/** Flush the session and run the fragment; `write` joins or begins the transaction. */
export async function runFragment(db: Database, query: unknown, what: string, write: boolean): Promise<{ result: QueryResult; sdb: SessionDb }> {
  const fragment = assertFragment(query, what)
  const sdb = requireSession(what).forDb(db)
  sdb.assertUsable()
  const { sql, params } = renderSql(fragment, db.dialect)
  await sdb.flush()
  return { result: await sdb.execute(sql, params, write, { columns: true }), sdb }
}

/** Every row as an object keyed by column name. */
export async function selectRows(db: Database, query: unknown): Promise<Row[]> {
  const { result } = await runFragment(db, query, 'db.select', false)
  return rowObjects(result, db.dialect)
}

/** Exactly one row: none is ObjectNotFound, several MultipleObjectsFoundError. */
export async function getRow(db: Database, query: unknown): Promise<Row> {
  const rows = await selectRows(db, query)
  if (rows.length === 0) throw new ObjectNotFound('db.get: the query returned no row (exactly one was expected)')
  if (rows.length > 1) throw new MultipleObjectsFoundError(`db.get: the query returned ${rows.length} rows (exactly one was expected)`)
  return rows[0]!
}

/** Whether the query returns at least one row. */
export async function rowsExist(db: Database, query: unknown): Promise<boolean> {
  const { result } = await runFragment(db, query, 'db.exists', false)
  return result.rows.length > 0
}

/** Run a statement as a write (inside the session's transaction); the number of rows it changed. */
export async function executeSql(db: Database, query: unknown): Promise<number> {
  const { result } = await runFragment(db, query, 'db.execute', true)
  return result.affected
}
