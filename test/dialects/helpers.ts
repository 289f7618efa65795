/**
 * Small helpers for the dialect tests: open a pool for a target, run
 * statements, write INSERTs with the dialect's quoting and placeholders, and
 * the few per-database introspection queries the tests check results with.
 */
import type { BindOptions, Dialect, DriverConnection, DriverPool, ProviderName } from '../../dialects/dialect.js'
import { dialectFor } from '../../dialects/index.js'
import type { TestTarget } from '../support/databases.js'

export interface Opened {
  readonly dialect: Dialect
  readonly pool: DriverPool
}

export async function openPool(target: TestTarget, extra: Partial<BindOptions> = {}): Promise<Opened> {
  const dialect = dialectFor(target.provider)
  return { dialect, pool: await dialect.createPool({ ...target.options, ...extra }) }
}

/** Run `body` with one connection of a fresh pool, then release and close everything. */
export async function withConnection<T>(target: TestTarget, body: (conn: DriverConnection, dialect: Dialect) => Promise<T>, extra: Partial<BindOptions> = {}): Promise<T> {
  const { dialect, pool } = await openPool(target, extra)
  const conn = await pool.acquire()
  try {
    return await body(conn, dialect)
  } finally {
    conn.release()
    await pool.end()
  }
}

export async function runAll(conn: DriverConnection, statements: readonly string[]): Promise<void> {
  for (const sql of statements) await conn.query(sql, [])
}

/** `INSERT INTO "t" ("a", "b") VALUES (?, ?)` in the dialect's quoting and placeholders. */
export function insertSql(dialect: Dialect, table: string, columns: readonly string[]): string {
  const q = dialect.flavor.quoteId
  const marks = columns.map((_, i) => dialect.flavor.placeholder(i + 1)).join(', ')
  return `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (${marks})`
}

/** Names of the tables in the current schema/database. */
export const LIST_TABLES: Readonly<Record<ProviderName, string>> = {
  sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
  postgres: 'SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename',
  mysql: 'SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name',
}

/** A query returning the numbers 1..n, one per row, on every database. */
export function countingSql(n: number): string {
  return `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n}) SELECT x FROM c`
}

/** Wait until `check` holds (polling), or fail after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
