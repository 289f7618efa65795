/**
 * `db.migrations`: `plan()` compares the model with the live database and
 * returns the statements and changes; `apply({ name })` runs them and records
 * the migration in `pinto_migrations`; `history()` lists what ran. Each works
 * on one pooled connection outside any dbSession. `applyPlan` runs a plan
 * already made (the CLI's apply, which prints the plan first).
 *
 *     const plan = await db.migrations.plan()
 *     plan.sql        // ['ALTER TABLE "person" ADD COLUMN "email" VARCHAR(200)', 'CREATE UNIQUE INDEX …']
 *     await db.migrations.apply({ name: 'add-email' })
 */
import { MappingError, OrmTypeError } from '../../compiler/errors.js'
import type { DriverConnection } from '../../dialects/dialect.js'
import type { CatalogQuery } from '../../dialects/shared/introspect-types.js'
import type { Database } from '../database.js'
import { DataLossRefused, MigrationRefused, runMigration } from './apply.js'
import { runLogged } from './logged.js'
import { checksumOf, readHistory, type HistoryEntry } from './history.js'
import { makePlan } from './plan.js'
import { ConnectionNotRestored } from './restore.js'
import type { ApplyOptions, ApplyResult, MigrationPlan, PlanOptions } from './types.js'

/**
 * Run `fn` on one pooled connection outside any dbSession, its statements
 * logged like any other; a connection a migration could not restore
 * (ConnectionNotRestored) is destroyed instead of released.
 */
async function withConnection<T>(db: Database, fn: (conn: DriverConnection, query: CatalogQuery) => Promise<T>): Promise<T> {
  const conn = await db.acquireFor(null)
  let unfit = false
  try {
    return await fn(conn, (sql, params = []) => runLogged(conn, db.log, sql, params))
  } catch (error) {
    unfit = error instanceof ConnectionNotRestored
    throw error
  } finally {
    if (unfit) conn.destroy()
    else db.release(conn)
  }
}

function checkName(options: Pick<ApplyOptions, 'name'>): void {
  if (typeof options !== 'object' || options === null || typeof options.name !== 'string' || options.name.trim() === '') {
    throw new OrmTypeError("db.migrations.apply needs a name: apply({ name: 'add-email' })")
  }
}

/** Refuse the plan (MigrationRefused) or run it and record it as `options.name`. */
async function runPlan(db: Database, conn: DriverConnection, query: CatalogQuery, plan: MigrationPlan, options: Pick<ApplyOptions, 'name' | 'allowDataLoss'>): Promise<ApplyResult> {
  const { name } = options
  const dialect = db.dialect
  if (plan.sql.length === 0) return { applied: false, name, statements: [], changes: [], checksum: null }
  if (plan.blocked.length > 0) throw new MigrationRefused(`migration '${name}' cannot run:\n${plan.blocked.map((b) => `  - ${b}`).join('\n')}`, plan.blocked)
  const losses = plan.dataLoss.filter((l) => l.rows > 0)
  if (losses.length > 0 && options.allowDataLoss !== true) {
    const lines = losses.map((l) => `  - ${l.column === undefined ? `table '${l.table}'` : `column '${l.table}.${l.column}'`}: ${l.rows} row(s) hold data (${l.reason})`)
    throw new DataLossRefused(`migration '${name}' would lose data and was refused (pass allowDataLoss: true to run it anyway):\n${lines.join('\n')}`, losses)
  }
  const previous = (await readHistory(dialect, query)).find((h) => h.name === name)
  if (previous !== undefined) throw new MappingError(`a migration named '${name}' was already applied at ${previous.appliedAt.toISOString()}: choose a new name`)
  await runMigration(dialect, conn, db.log, name, plan.steps)
  return { applied: true, name, statements: plan.sql, changes: plan.changes, checksum: checksumOf(plan.sql) }
}

export class Migrations {
  constructor(private readonly db: Database) {}

  /** What would change: statements, changes, data that would be lost, changes that cannot run. */
  plan(options: PlanOptions = {}): Promise<MigrationPlan> {
    return withConnection(this.db, (_conn, query) => makePlan(this.db.dialect, this.db.schema, query, options))
  }

  /** Migrations recorded in `pinto_migrations`, oldest first. */
  history(): Promise<HistoryEntry[]> {
    return withConnection(this.db, (_conn, query) => readHistory(this.db.dialect, query))
  }

  /**
   * Plan and run. Refuses changes that cannot run (`MigrationRefused`, a
   * MappingError) and changes that would lose data unless `allowDataLoss`
   * (`DataLossRefused`, a MigrationRefused); a database that already matches
   * the model is a no-op (`applied: false`, nothing recorded).
   */
  apply(options: ApplyOptions): Promise<ApplyResult> {
    checkName(options)
    return withConnection(this.db, async (conn, query) => runPlan(this.db, conn, query, await makePlan(this.db.dialect, this.db.schema, query, options), options))
  }
}

/**
 * Run a plan that `db.migrations.plan()` made, with the checks of `apply`,
 * without reading the schema again: the CLI shows a plan, then runs that
 * very plan. Internal (not exported by the package).
 *
 *     const plan = await db.migrations.plan()
 *     await applyPlan(db, plan, { name: 'add-email' })
 */
export function applyPlan(db: Database, plan: MigrationPlan, options: Pick<ApplyOptions, 'name' | 'allowDataLoss'>): Promise<ApplyResult> {
  checkName(options)
  return withConnection(db, (conn, query) => runPlan(db, conn, query, plan, options))
}
