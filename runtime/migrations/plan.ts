/**
 * A migration plan: read the live schema, read the model's DDL, diff them,
 * count the rows each lossy change would touch, and order the statements so
 * that they run: foreign keys and indexes that go away first, then new
 * tables, altered tables, dropped tables, and last the new indexes and
 * foreign keys (so every table they name exists). The dialect's writer turns
 * each table's alteration into statements and wraps the whole (SQLite's
 * foreign-key pragmas).
 */
import type { Dialect } from '../../dialects/dialect.js'
import type { CatalogQuery, MigrationStep } from '../../dialects/shared/introspect-types.js'
import type { SchemaInfo } from '../../compiler/schema.js'
import { desiredTables } from './desired.js'
import { diffSchemas, type LossCheck } from './diff.js'
import { HISTORY_TABLE } from './history.js'
import type { DataLoss, MigrationPlan, PlanOptions } from './types.js'

async function countRows(query: CatalogQuery, dialect: Dialect, check: { table: string; column?: string; count: LossCheck['count'] }): Promise<number> {
  const q = dialect.flavor.quoteId
  const where = check.column === undefined || check.count === 'rows' ? '' : ` WHERE ${q(check.column)} IS ${check.count === 'nulls' ? '' : 'NOT '}NULL`
  const rows = await query(`SELECT COUNT(*) FROM ${q(check.table)}${where}`)
  return Number(rows[0]?.[0] ?? 0)
}

/** Compare the model with the database reached through `query`. */
export async function makePlan(dialect: Dialect, schema: SchemaInfo, query: CatalogQuery, options: PlanOptions = {}): Promise<MigrationPlan> {
  const live = (await dialect.introspect.readSchema(query)).filter((t) => t.name !== HISTORY_TABLE)
  const desired = desiredTables(dialect, schema)
  const diff = diffSchemas(live, desired, options.renames)
  const writer = dialect.introspect
  const main: MigrationStep[] = []
  const push = (sql: string): void => { if (sql !== '') main.push({ sql, phase: 'main' }) }
  const rebuilt = new Set<string>()
  const dropped = new Set(diff.drops.map((t) => t.name))
  const altered: MigrationStep[] = []
  for (const alteration of diff.alterations) {
    const { steps, rebuilt: wasRebuilt } = writer.alterTable(alteration)
    if (wasRebuilt) rebuilt.add(alteration.to.table.name)
    altered.push(...steps)
  }
  if (!writer.inlineForeignKeys) for (const fk of diff.dropForeignKeys) push(writer.dropForeignKey(fk.table, fk.name))
  for (const index of diff.dropIndexes) if (!rebuilt.has(index.table) && !dropped.has(index.table)) push(writer.dropIndex(index.table, index.name))
  for (const t of diff.creates) push(t.create)
  main.push(...altered)
  for (const t of [...diff.drops].reverse()) push(`DROP TABLE ${dialect.flavor.quoteId(t.name)}`)
  for (const index of diff.addIndexes) if (!rebuilt.has(index.table)) push(index.sql)
  for (const fk of diff.addForeignKeys) if (!rebuilt.has(fk.table)) push(fk.sql)
  const steps = writer.wrap(main)
  const dataLoss: DataLoss[] = []
  for (const check of diff.lossChecks) {
    const rows = await countRows(query, dialect, check)
    dataLoss.push({ table: check.table, ...(check.column === undefined ? {} : { column: check.column }), rows, reason: check.reason })
  }
  const blocked: string[] = []
  for (const add of diff.requiredAdds) {
    const rows = await countRows(query, dialect, { table: add.table, count: 'rows' })
    if (rows > 0) blocked.push(`column '${add.table}.${add.column}' is required and has no default, and table '${add.table}' has ${rows} row(s): add it as optional, fill it, then make it required (or give it a sqlDefault)`)
  }
  return { sql: steps.map((s) => s.sql), changes: diff.changes, dataLoss, blocked, steps }
}
