/**
 * Running a plan. Where the dialect's DDL is transactional (PostgreSQL,
 * SQLite) everything — the statements and the history row — runs in one
 * transaction, so a failure leaves the database as it was. On MySQL/MariaDB
 * each DDL statement commits by itself: statements run one by one and a
 * failure is a `MigrationFailed` error saying which statement failed and
 * which ones before it were applied. Statements of the 'before' and 'after'
 * phases (SQLite's foreign-key pragmas) run outside the transaction; the
 * 'after' ones are checked (restore.ts), and a connection they could not
 * restore is destroyed, not returned to the pool, with the error. A plan
 * refused before anything runs is a `MigrationRefused` (`DataLossRefused`
 * when it would lose data).
 */
import { MappingError } from '../../compiler/errors.js'
import type { Dialect, DriverConnection } from '../../dialects/dialect.js'
import type { MigrationStep } from '../../dialects/shared/introspect-types.js'
import type { QueryLog } from '../debug.js'
import { historyTableSql, recordSql } from './history.js'
import { runLogged } from './logged.js'
import { restoreConnection } from './restore.js'
import type { DataLoss } from './types.js'

/**
 * `apply` refused a plan and ran nothing: it holds changes that cannot run as
 * the data stands (`blocked`, e.g. a required column without a default for a
 * table with rows), or it would lose data (the subclass `DataLossRefused`).
 * The CLI exits with 2 on it.
 */
export class MigrationRefused extends MappingError {
  constructor(message: string, readonly blocked: readonly string[]) {
    super(message)
  }
}

/**
 * The brand every MigrationRefused carries (on its prototype, not
 * enumerable), the same symbol in every installed copy of pinto: a CLI from
 * one copy recognises a refusal thrown by another, where `instanceof` cannot.
 */
export const MIGRATION_REFUSED: unique symbol = Symbol.for('pinto.MigrationRefused')
Object.defineProperty(MigrationRefused.prototype, MIGRATION_REFUSED, { value: true })

/** Whether `error` is a MigrationRefused (or DataLossRefused) of this or any other copy of pinto. */
export function isMigrationRefused(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { [MIGRATION_REFUSED]?: unknown })[MIGRATION_REFUSED] === true
}

/** `apply` refused a plan that would lose data; `dataLoss` says where and how many rows. */
export class DataLossRefused extends MigrationRefused {
  constructor(message: string, readonly dataLoss: readonly DataLoss[]) {
    super(message, [])
  }
}

/** A migration that stopped part way on a database without transactional DDL. */
export class MigrationFailed extends MappingError {
  constructor(message: string, readonly applied: readonly string[], readonly failed: string, cause: unknown) {
    super(message, { cause })
  }
}

/** Run one step, logged; a check step (`expectNoRows`) that returns rows fails the migration. */
async function runStep(conn: DriverConnection, log: QueryLog, step: MigrationStep): Promise<void> {
  const rows = await runLogged(conn, log, step.sql)
  if (step.expectNoRows === true && rows.length > 0) {
    throw new MappingError(`the migration would break ${rows.length} foreign key reference(s) (${step.sql} returned rows such as ${JSON.stringify(rows[0], (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))}); nothing was changed`)
  }
}

/** Run the steps and record the migration as `name`. */
export async function runMigration(dialect: Dialect, conn: DriverConnection, log: QueryLog, name: string, steps: readonly MigrationStep[]): Promise<void> {
  for (const sql of historyTableSql(dialect)) await runLogged(conn, log, sql)
  const statements = steps.map((s) => s.sql)
  const record = recordSql(dialect, name, statements)
  const main = steps.filter((s) => s.phase === 'main')
  let migrationError: unknown
  try {
    for (const step of steps.filter((s) => s.phase === 'before')) await runStep(conn, log, step)
    if (dialect.caps.transactionalDdl) {
      await runLogged(conn, log, 'BEGIN')
      try {
        for (const step of main) await runStep(conn, log, step)
        await runLogged(conn, log, record.sql, record.params)
        await runLogged(conn, log, 'COMMIT')
      } catch (error) {
        if (!conn.broken) await conn.query('ROLLBACK', []).catch(() => undefined)
        throw error
      }
      return
    }
    const done: string[] = []
    for (const [i, step] of main.entries()) {
      try {
        await runStep(conn, log, step)
      } catch (error) {
        const applied = done.length === 0 ? 'none of the statements before it ran' : `the ${done.length} statement(s) before it were applied and stay applied (this database cannot roll back DDL):\n${done.map((s) => `  ${s};`).join('\n')}`
        throw new MigrationFailed(`migration '${name}' failed at statement ${i + 1} of ${main.length}: ${step.sql}\n  error: ${(error as Error).message}\n${applied}`, done, step.sql, error)
      }
      done.push(step.sql)
    }
    await runLogged(conn, log, record.sql, record.params)
  } catch (error) {
    migrationError = error
    throw error
  } finally {
    await restoreConnection(conn, log, name, steps.filter((s) => s.phase === 'after'), migrationError)
  }
}
