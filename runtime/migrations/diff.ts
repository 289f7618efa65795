/**
 * Comparing the live schema with the model's: which tables to create and
 * drop, and for each table in both, which columns to rename (only where the
 * caller says so), add, drop or alter, and which indexes, foreign keys and
 * CHECK constraints to drop or add. Pure: it reads two descriptions and
 * returns the changes as data, plus the places whose rows must be counted
 * to know whether data would be lost. No SQL is written here.
 */
import { MappingError } from '../../compiler/errors.js'
import type { LiveCheck, LiveColumn, LiveForeignKey, LiveTable, TableAlteration, TableDdl } from '../../dialects/shared/introspect-types.js'
import { foreignKeySignature } from './desired.js'
import type { Change } from './types.js'
import { isWidening } from './widening.js'

/** A place whose rows decide whether a change loses data. */
export interface LossCheck {
  readonly table: string
  readonly column?: string
  /** What to count: every row, rows where the column holds a value, rows where it is NULL. */
  readonly count: 'rows' | 'values' | 'nulls'
  readonly reason: string
}

export interface SchemaDiff {
  readonly changes: Change[]
  readonly creates: TableDdl[]
  readonly drops: LiveTable[]
  readonly alterations: TableAlteration[]
  readonly dropIndexes: { table: string; name: string }[]
  readonly addIndexes: { table: string; sql: string }[]
  readonly dropForeignKeys: { table: string; name: string }[]
  readonly addForeignKeys: { table: string; sql: string }[]
  readonly lossChecks: LossCheck[]
  /** Required columns without a default added to existing tables: blocked when the table has rows. */
  readonly requiredAdds: { table: string; column: string }[]
}

/** `{ 'person.full_name': 'name' }` → table → old → new, checked against both schemas. */
function parseRenames(renames: Readonly<Record<string, string>>, live: Map<string, LiveTable>, desired: Map<string, TableDdl>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>()
  for (const [key, to] of Object.entries(renames)) {
    const dot = key.lastIndexOf('.')
    const table = key.slice(0, dot)
    const from = key.slice(dot + 1)
    if (dot <= 0 || from === '' || typeof to !== 'string' || to === '') throw new MappingError(`renames: '${key}' must be 'table.oldColumn' mapped to the new column name`)
    const have = live.get(table)
    const want = desired.get(table)
    if (have === undefined || want === undefined) throw new MappingError(`renames: table '${table}' must exist in the database and in the model`)
    const hasCol = (t: { columns: readonly LiveColumn[] }, c: string): boolean => t.columns.some((x) => x.name === c)
    if (!hasCol(have, from)) {
      if (hasCol(have, to) && hasCol(want.table, to)) continue
      throw new MappingError(`renames: column '${table}.${from}' does not exist in the database`)
    }
    if (!hasCol(want.table, to)) throw new MappingError(`renames: the model has no column '${table}.${to}'`)
    if (hasCol(have, to)) throw new MappingError(`renames: column '${table}.${to}' already exists in the database`)
    if (!out.has(table)) out.set(table, new Map())
    out.get(table)!.set(from, to)
  }
  return out
}

const renamed = (names: readonly string[], map: ReadonlyMap<string, string>): string[] => names.map((n) => map.get(n) ?? n)
const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i])
const checkKey = (c: LiveCheck): string => `${c.name}:${c.values.join('\0')}`

/** The changes that turn `live` into `desired`. */
export function diffSchemas(liveTables: readonly LiveTable[], desired: Map<string, TableDdl>, renames: Readonly<Record<string, string>> = {}): SchemaDiff {
  const live = new Map(liveTables.map((t) => [t.name, t]))
  const renameMap = parseRenames(renames, live, desired)
  const d: SchemaDiff = { changes: [], creates: [], drops: [], alterations: [], dropIndexes: [], addIndexes: [], dropForeignKeys: [], addForeignKeys: [], lossChecks: [], requiredAdds: [] }
  const typeChanged = new Set<string>()
  for (const [name, want] of desired) {
    const have = live.get(name)
    const map = renameMap.get(name) ?? new Map<string, string>()
    for (const h of have?.columns ?? []) {
      const w = want.table.columns.find((c) => c.name === (map.get(h.name) ?? h.name))
      if (w !== undefined && w.type !== h.type) typeChanged.add(`${name}.${w.name}`)
    }
  }
  for (const [name, want] of desired) {
    const have = live.get(name)
    if (have === undefined) {
      d.creates.push(want)
      d.changes.push({ kind: 'createTable', table: name, detail: `columns ${want.table.columns.map((c) => c.name).join(', ')}` })
      for (const sql of want.indexSql.values()) d.addIndexes.push({ table: name, sql })
      for (const sql of want.foreignKeySql.values()) d.addForeignKeys.push({ table: name, sql })
      continue
    }
    diffTable(d, have, want, renameMap.get(name) ?? new Map(), typeChanged)
  }
  for (const have of liveTables) {
    if (desired.has(have.name)) continue
    d.drops.push(have)
    d.changes.push({ kind: 'dropTable', table: have.name, detail: `columns ${have.columns.map((c) => c.name).join(', ')}` })
    d.lossChecks.push({ table: have.name, count: 'rows', reason: 'the table is dropped' })
    for (const fk of have.foreignKeys) d.dropForeignKeys.push({ table: have.name, name: fk.name })
  }
  return d
}

function diffTable(d: SchemaDiff, have: LiveTable, want: TableDdl, renames: Map<string, string>, typeChanged: ReadonlySet<string>): void {
  const table = want.table.name
  const wantCols = new Map(want.table.columns.map((c) => [c.name, c]))
  const haveCols = new Map(have.columns.map((c) => [renames.get(c.name) ?? c.name, c]))
  for (const [from, to] of renames) d.changes.push({ kind: 'renameColumn', table, column: to, detail: `${from} → ${to}` })
  const addColumns = [...wantCols.keys()].filter((c) => !haveCols.has(c))
  const dropColumns = have.columns.map((c) => c.name).filter((c) => !wantCols.has(renames.get(c) ?? c))
  const alterColumns: string[] = []
  for (const col of addColumns) {
    const c = wantCols.get(col)!
    d.changes.push({ kind: 'addColumn', table, column: col, detail: `${c.type}${c.nullable ? '' : ' NOT NULL'}${c.default === null ? '' : ` DEFAULT ${c.default}`}` })
    if (!c.nullable && c.default === null && !c.autoIncrement) d.requiredAdds.push({ table, column: col })
  }
  for (const col of dropColumns) {
    d.changes.push({ kind: 'dropColumn', table, column: col, detail: haveCols.get(renames.get(col) ?? col)?.type ?? '' })
    d.lossChecks.push({ table, column: col, count: 'values', reason: 'the column is dropped' })
  }
  for (const [col, w] of wantCols) {
    const h = haveCols.get(col)
    if (h === undefined) continue
    const oldName = h.name
    let altered = false
    if (h.type !== w.type) {
      altered = true
      const widening = isWidening(h.type, w.type)
      d.changes.push({ kind: 'alterType', table, column: col, detail: `${h.type} → ${w.type}${widening ? ' (widening)' : ' (narrowing or conversion)'}` })
      if (!widening) d.lossChecks.push({ table, column: oldName, count: 'values', reason: `the type changes from ${h.type} to ${w.type}` })
    }
    if (h.nullable !== w.nullable) {
      altered = true
      d.changes.push({ kind: 'alterNullability', table, column: col, detail: w.nullable ? 'NOT NULL → nullable' : 'nullable → NOT NULL' })
      if (!w.nullable) d.lossChecks.push({ table, column: oldName, count: 'nulls', reason: 'the column becomes required and these rows hold NULL' })
    }
    if (h.default !== w.default) {
      altered = true
      d.changes.push({ kind: 'alterDefault', table, column: col, detail: `${h.default ?? 'no default'} → ${w.default ?? 'no default'}` })
    }
    if (altered) alterColumns.push(col)
  }
  const haveChecks = new Map(have.checks.map((c) => [c.name, c]))
  const wantChecks = new Map(want.table.checks.map((c) => [c.name, c]))
  const dropChecks = have.checks.filter((c) => wantChecks.get(c.name) === undefined || checkKey(wantChecks.get(c.name)!) !== checkKey(c))
  const addChecks = want.table.checks.filter((c) => haveChecks.get(c.name) === undefined || checkKey(haveChecks.get(c.name)!) !== checkKey(c)).map((c) => c.name)
  for (const c of dropChecks) d.changes.push({ kind: 'dropCheck', table, detail: `${c.name} (${c.values.join(', ')})` })
  for (const name of addChecks) d.changes.push({ kind: 'addCheck', table, detail: `${name} (${wantChecks.get(name)!.values.join(', ')})` })
  const primaryKeyChanged = !same(renamed(have.primaryKey, renames), want.table.primaryKey)
  if (primaryKeyChanged) d.changes.push({ kind: 'alterPrimaryKey', table, detail: `(${have.primaryKey.join(', ')}) → (${want.table.primaryKey.join(', ')})` })
  for (const index of have.indexes) {
    const w = want.table.indexes.find((i) => i.name === index.name)
    if (w !== undefined && w.unique === index.unique && same(w.columns, renamed(index.columns, renames))) continue
    d.dropIndexes.push({ table, name: index.name })
    d.changes.push({ kind: 'dropIndex', table, detail: `${index.unique ? 'unique ' : ''}${index.name} (${index.columns.join(', ')})` })
  }
  for (const index of want.table.indexes) {
    const h = have.indexes.find((i) => i.name === index.name)
    if (h !== undefined && h.unique === index.unique && same(index.columns, renamed(h.columns, renames))) continue
    d.addIndexes.push({ table, sql: want.indexSql.get(index.name)! })
    d.changes.push({ kind: 'addIndex', table, detail: `${index.unique ? 'unique ' : ''}${index.name} (${index.columns.join(', ')})` })
  }
  const fkKey = (fk: LiveForeignKey, map: ReadonlyMap<string, string>): string => `${foreignKeySignature({ ...fk, columns: renamed(fk.columns, map) })}:${fk.onDelete}`
  const wantFks = new Set(want.table.foreignKeys.map((fk) => fkKey(fk, new Map())))
  const haveFks = new Set(have.foreignKeys.map((fk) => fkKey(fk, renames)))
  const touchesTypeChange = (fk: LiveForeignKey): boolean =>
    renamed(fk.columns, renames).some((c) => typeChanged.has(`${table}.${c}`)) || fk.refColumns.some((c) => typeChanged.has(`${fk.refTable}.${c}`))
  let foreignKeysChanged = false
  for (const fk of have.foreignKeys) {
    if (wantFks.has(fkKey(fk, renames)) && !touchesTypeChange(fk)) continue
    foreignKeysChanged = true
    d.dropForeignKeys.push({ table, name: fk.name })
    d.changes.push({ kind: 'dropForeignKey', table, detail: `(${fk.columns.join(', ')}) → ${fk.refTable} (${fk.refColumns.join(', ')})` })
  }
  for (const fk of want.table.foreignKeys) {
    if (haveFks.has(fkKey(fk, new Map())) && !touchesTypeChange(fk)) continue
    foreignKeysChanged = true
    const sql = want.foreignKeySql.get(foreignKeySignature(fk))
    if (sql !== undefined) d.addForeignKeys.push({ table, sql })
    d.changes.push({ kind: 'addForeignKey', table, detail: `(${fk.columns.join(', ')}) → ${fk.refTable} (${fk.refColumns.join(', ')})${fk.onDelete === 'NO ACTION' ? '' : ` ON DELETE ${fk.onDelete}`}` })
  }
  if (renames.size + addColumns.length + dropColumns.length + alterColumns.length + dropChecks.length + addChecks.length > 0 || primaryKeyChanged || foreignKeysChanged) {
    d.alterations.push({ from: have, to: want, renames, addColumns, dropColumns, alterColumns, dropChecks, addChecks, primaryKeyChanged })
  }
}
