/**
 * Putting a migration's connection back as it was: the 'after' steps undo
 * what the 'before' steps changed for the migration's length (on SQLite,
 * `PRAGMA foreign_keys = ON` after the `OFF` that table rebuilds need). Each
 * runs even when one before it failed, and a step with a `readBack` is then
 * checked with it (SQLite ignores the foreign-keys pragma inside an open
 * transaction and says nothing). A step that failed or did not
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
import { runLogged } from './logged.js'

/** After a migration, a statement meant to restore the connection failed or did not take effect; the connection is destroyed. */
export class ConnectionNotRestored extends MappingError {
  constructor(message: string, readonly statement: string, readonly migrationError: unknown, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
  }
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
      await runLogged(conn, log, step.sql)
      const check = step.readBack
      if (check === undefined) continue
      const got = (await runLogged(conn, log, check.sql))[0]?.[0]
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
