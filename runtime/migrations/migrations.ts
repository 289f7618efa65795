/**
 * `db.migrations`: `plan()` compares the model with the live database and
 * returns the statements and changes; `apply({ name })` runs them and records
 * the migration in `pinto_migrations`; `history()` lists what ran. Both work
 * on one pooled connection outside any dbSession.
 *
 *     const plan = await db.migrations.plan()
 *     plan.sql        // ['ALTER TABLE "person" ADD COLUMN "email" VARCHAR(200)', 'CREATE UNIQUE INDEX …']
 *     await db.migrations.apply({ name: 'add-email' })
 */
import { MappingError, OrmTypeError } from '../../compiler/errors.js'
import type { DriverConnection } from '../../dialects/dialect.js'
import type { CatalogQuery } from '../../dialects/shared/introspect-types.js'
import type { Database } from '../database.js'
import { DataLossRefused, runLogged, runMigration } from './apply.js'
import { checksumOf, readHistory, type HistoryEntry } from './history.js'
import { makePlan } from './plan.js'
import type { ApplyOptions, ApplyResult, MigrationPlan, PlanOptions } from './types.js'

export class Migrations {
  constructor(private readonly db: Database) {}

  private async withConnection<T>(fn: (conn: DriverConnection, query: CatalogQuery) => Promise<T>): Promise<T> {
    const conn = await this.db.acquireFor(null)
    try {
      return await fn(conn, (sql, params = []) => runLogged(conn, this.db.log, sql, params))
    } finally {
      this.db.release(conn)
    }
  }

  /** What would change: statements, changes, data that would be lost, changes that cannot run. */
  plan(options: PlanOptions = {}): Promise<MigrationPlan> {
    return this.withConnection((_conn, query) => makePlan(this.db.dialect, this.db.schema, query, options))
  }

  /** Migrations recorded in `pinto_migrations`, oldest first. */
  history(): Promise<HistoryEntry[]> {
    return this.withConnection((_conn, query) => readHistory(this.db.dialect, query))
  }

  /**
   * Plan and run. Refuses (MappingError) changes that would lose data unless
   * `allowDataLoss`, and changes that cannot run; a database that already
   * matches the model is a no-op (`applied: false`, nothing recorded).
   */
  apply(options: ApplyOptions): Promise<ApplyResult> {
    if (typeof options !== 'object' || options === null || typeof options.name !== 'string' || options.name.trim() === '') {
      throw new OrmTypeError("db.migrations.apply needs a name: apply({ name: 'add-email' })")
    }
    const { name } = options
    return this.withConnection(async (conn, query) => {
      const dialect = this.db.dialect
      const plan = await makePlan(dialect, this.db.schema, query, options)
      if (plan.sql.length === 0) return { applied: false, name, statements: [], changes: [], checksum: null }
      if (plan.blocked.length > 0) throw new MappingError(`migration '${name}' cannot run:\n${plan.blocked.map((b) => `  - ${b}`).join('\n')}`)
      const losses = plan.dataLoss.filter((l) => l.rows > 0)
      if (losses.length > 0 && options.allowDataLoss !== true) {
        const lines = losses.map((l) => `  - ${l.column === undefined ? `table '${l.table}'` : `column '${l.table}.${l.column}'`}: ${l.rows} row(s) hold data (${l.reason})`)
        throw new DataLossRefused(`migration '${name}' would lose data and was refused (pass allowDataLoss: true to run it anyway):\n${lines.join('\n')}`, losses)
      }
      const previous = (await readHistory(dialect, query)).find((h) => h.name === name)
      if (previous !== undefined) throw new MappingError(`a migration named '${name}' was already applied at ${previous.appliedAt.toISOString()}: choose a new name`)
      await runMigration(dialect, conn, this.db.log, name, plan.steps)
      return { applied: true, name, statements: plan.sql, changes: plan.changes, checksum: checksumOf(plan.sql) }
    })
  }
}
