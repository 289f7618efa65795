/**
 * A migration plan: read the live schema, read the model's DDL, diff them,
 * count the rows each lossy change would touch (one statement per table),
 * and order the statements so that they run: foreign keys and indexes that
 * go away first, then new tables, altered tables, dropped tables, and last
 * the new indexes and foreign keys (so every table they name exists). The dialect's writer turns
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

/** A table's rows, and for each column a check asks about, the rows where it holds a value. */
interface TableCounts {
  readonly rows: number
  readonly values: ReadonlyMap<string, number>
}

/**
 * The row counts every check needs, one statement per table however many
 * checks read it: `SELECT COUNT(*), COUNT("a"), COUNT("b") FROM "t"` (NULLs are
 * the rows less the values). Each count is shown to the user (the data loss
 * rows, the rows blocking a required column), so an EXISTS would not do.
 */
async function countTables(query: CatalogQuery, dialect: Dialect, checks: readonly Pick<LossCheck, 'table' | 'column' | 'count'>[]): Promise<Map<string, TableCounts>> {
  const q = dialect.flavor.quoteId
  const columnsOf = new Map<string, Set<string>>()
  for (const check of checks) {
    if (!columnsOf.has(check.table)) columnsOf.set(check.table, new Set())
    if (check.column !== undefined && check.count !== 'rows') columnsOf.get(check.table)!.add(check.column)
  }
  const out = new Map<string, TableCounts>()
  for (const [table, set] of columnsOf) {
    const columns = [...set]
    const row = (await query(`SELECT ${['COUNT(*)', ...columns.map((c) => `COUNT(${q(c)})`)].join(', ')} FROM ${q(table)}`))[0] ?? []
    out.set(table, { rows: Number(row[0] ?? 0), values: new Map(columns.map((c, i) => [c, Number(row[i + 1] ?? 0)])) })
  }
  return out
}

function rowsFor(counts: Map<string, TableCounts>, check: LossCheck): number {
  const t = counts.get(check.table)!
  if (check.column === undefined || check.count === 'rows') return t.rows
  const values = t.values.get(check.column)!
  return check.count === 'values' ? values : t.rows - values
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
  const counts = await countTables(query, dialect, [...diff.lossChecks, ...diff.requiredAdds.map((add) => ({ table: add.table, count: 'rows' as const }))])
  const dataLoss: DataLoss[] = diff.lossChecks.map((check) => ({ table: check.table, ...(check.column === undefined ? {} : { column: check.column }), rows: rowsFor(counts, check), reason: check.reason }))
  const blocked: string[] = []
  for (const add of diff.requiredAdds) {
    const rows = counts.get(add.table)!.rows
    if (rows > 0) blocked.push(`column '${add.table}.${add.column}' is required and has no default, and table '${add.table}' has ${rows} row(s): add it as optional, fill it, then make it required (or give it a sqlDefault)`)
  }
  return { sql: steps.map((s) => s.sql), changes: diff.changes, dataLoss, blocked, steps }
}
