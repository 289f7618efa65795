/**
 * The history table `pinto_migrations`: one row per applied migration with
 * its name, when it ran, a checksum of its statements and the statements
 * themselves (a JSON array). The table is defined as a small pinto model,
 * so each dialect creates it with its own DDL.
 */
import { createHash } from 'node:crypto'
import type { Dialect } from '../../dialects/dialect.js'
import type { CatalogQuery } from '../../dialects/shared/introspect-types.js'
import { LongStr, primaryKey, required } from '../model/attributes.js'
import { buildSchema, type Schema } from '../model/build-schema.js'

export const HISTORY_TABLE = 'pinto_migrations'

let historySchema: Schema | null = null

function schema(): Schema {
  historySchema ??= buildSchema({
    PintoMigration: {
      $table: HISTORY_TABLE,
      name: primaryKey(String, { maxLen: 200 }),
      applied_at: required(Date),
      checksum: required(String, { maxLen: 64 }),
      statements: required(LongStr),
    },
  })
  return historySchema
}

/** SHA-256 of the statements, one per line. */
export function checksumOf(statements: readonly string[]): string {
  return createHash('sha256').update(statements.join('\n')).digest('hex')
}

/** CREATE TABLE IF NOT EXISTS for the history table. */
export function historyTableSql(dialect: Dialect): string[] {
  return dialect.createSchemaSql(schema(), { ifNotExists: true })
}

/** The INSERT recording one migration, with its bound values. */
export function recordSql(dialect: Dialect, name: string, statements: readonly string[]): { sql: string; params: unknown[] } {
  const f = dialect.flavor
  const cols = ['name', 'applied_at', 'checksum', 'statements']
  const sql = `INSERT INTO ${f.quoteId(HISTORY_TABLE)} (${cols.map(f.quoteId).join(', ')}) VALUES (${cols.map((_, i) => f.placeholder(i + 1)).join(', ')})`
  const params = [dialect.toDb(name, 'string'), dialect.toDb(new Date(), 'date'), dialect.toDb(checksumOf(statements), 'string'), dialect.toDb(JSON.stringify(statements), 'longstr')]
  return { sql, params }
}

export interface HistoryEntry {
  readonly name: string
  readonly appliedAt: Date
  readonly checksum: string
  readonly statements: string[]
}

/** Every recorded migration, oldest first; empty when the table does not exist yet. */
export async function readHistory(dialect: Dialect, query: CatalogQuery): Promise<HistoryEntry[]> {
  const f = dialect.flavor
  const rows = await query(`SELECT ${['name', 'applied_at', 'checksum', 'statements'].map(f.quoteId).join(', ')} FROM ${f.quoteId(HISTORY_TABLE)} ORDER BY ${f.quoteId('applied_at')}`).catch(() => null)
  if (rows === null) return []
  return rows.map((r) => ({
    name: dialect.fromDb(r[0], 'string') as string,
    appliedAt: dialect.fromDb(r[1], 'date') as Date,
    checksum: dialect.fromDb(r[2], 'string') as string,
    statements: JSON.parse(dialect.fromDb(r[3], 'longstr') as string) as string[],
  }))
}
