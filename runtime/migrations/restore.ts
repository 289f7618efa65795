/**
 * Putting a migration's connection back as it was: the 'after' steps undo
 * what the 'before' steps changed for the migration's length (on SQLite,
 * `PRAGMA foreign_keys = ON` after the `OFF` that table rebuilds need). Each
 * runs even when one before it failed, and a `PRAGMA name = value` step is
 * then read back with `PRAGMA name` (SQLite ignores the foreign-keys pragma
 * inside an open transaction and says nothing). A step that failed or did not
 * take effect leaves a connection unfit for the pool: `ConnectionNotRestored`
 * says which and why, and the migration's connection is destroyed, not
 * released (see `withConnection` in migrations.ts).
 *
 *     await restoreConnection(conn, log, 'add-email', afterSteps, undefined)
 *     // PRAGMA foreign_keys = ON; PRAGMA foreign_keys → [[1]], or throws ConnectionNotRestored
 */
import { MappingError } from '../../compiler/errors.js'
import type { DriverConnection } from '../../dialects/dialect.js'
import type { MigrationStep } from '../../dialects/shared/introspect-types.js'
import type { QueryLog } from '../debug.js'

/** After a migration, a statement meant to restore the connection failed or did not take effect; the connection is destroyed. */
export class ConnectionNotRestored extends MappingError {
  constructor(message: string, readonly statement: string, readonly migrationError: unknown, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
  }
}

const PRAGMA_SET = /^\s*PRAGMA\s+(\w+)\s*=\s*(\w+)\s*;?\s*$/i
const BOOLEAN_WORDS: Readonly<Record<string, string>> = { on: '1', true: '1', yes: '1', off: '0', false: '0', no: '0' }

/** For `PRAGMA name = value` with a boolean or integer value: the statement that reads it back and the value it must give. */
function readBack(sql: string): { sql: string; expected: string } | null {
  const m = PRAGMA_SET.exec(sql)
  if (m === null) return null
  const value = m[2]!.toLowerCase()
  const expected = BOOLEAN_WORDS[value] ?? (/^-?\d+$/.test(value) ? value : null)
  return expected === null ? null : { sql: `PRAGMA ${m[1]!}`, expected }
}

async function logged(conn: DriverConnection, log: QueryLog, sql: string): Promise<unknown[][]> {
  const start = performance.now()
  const result = await conn.query(sql, [])
  log.record(sql, [], performance.now() - start, result.rows.length > 0 ? result.rows.length : result.affected, null)
  return result.rows
}

/**
 * Run the 'after' steps of migration `name`, each checked; `migrationError` is
 * what the migration itself threw (undefined when it was applied), carried by
 * the ConnectionNotRestored this throws on the first step that failed or did
 * not take effect.
 */
export async function restoreConnection(conn: DriverConnection, log: QueryLog, name: string, steps: readonly MigrationStep[], migrationError: unknown): Promise<void> {
  let problem: { statement: string; reason: string; cause?: unknown } | null = null
  for (const step of steps) {
    try {
      await logged(conn, log, step.sql)
      const check = readBack(step.sql)
      if (check === null) continue
      const got = (await logged(conn, log, check.sql))[0]?.[0]
      if (String(got) !== check.expected) problem ??= { statement: step.sql, reason: `${check.sql} reads ${String(got)} afterwards, not ${check.expected}` }
    } catch (error) {
      problem ??= { statement: step.sql, reason: (error as Error).message, cause: error }
    }
  }
  if (problem === null) return
  const outcome = migrationError === undefined ? 'was applied' : `failed (${(migrationError as Error).message})`
  throw new ConnectionNotRestored(
    `migration '${name}' ${outcome}, but its connection could not be restored: ${problem.statement}: ${problem.reason}; the connection is destroyed instead of going back to the pool`,
    problem.statement, migrationError, problem.cause,
  )
}
