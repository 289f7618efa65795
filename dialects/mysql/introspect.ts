/**
 * MySQL/MariaDB's side of migrations. The schema is `DATABASE()`, read from
 * `information_schema`; `COLUMN_TYPE` is normalised (lower case, integer
 * display widths dropped, BOOLEAN as `tinyint(1)`, JSON as MariaDB's
 * `longtext`). Columns change with `MODIFY COLUMN` and the model's whole
 * column definition. DDL commits implicitly here, so a migration runs
 * statement by statement; the applier reports how far it got. Indexes that
 * MySQL creates by itself for a foreign key (named like the constraint) are
 * not reported.
 */
import { MappingError } from '../../compiler/errors.js'
import type { ScalarType } from '../../compiler/schema.js'
import type { ResultColumn } from '../dialect.js'
import type { CatalogQuery, Introspector, LiveColumn, LiveForeignKey, LiveIndex, LiveTable, MigrationStep, TableAlteration } from '../shared/introspect-types.js'
import { normalizeOnDelete, stringLiterals, text } from '../shared/introspect-text.js'
import { mysqlFlavor } from './sql-flavor.js'

const q = mysqlFlavor.quoteId

function normalizeType(sqlType: string): string {
  const t = sqlType.trim().toLowerCase().replace(/\s*,\s*/g, ',').replace(/\s+/g, ' ')
  if (t === 'boolean' || t === 'bool') return 'tinyint(1)'
  if (t === 'json') return 'longtext'
  if (t === 'integer') return 'int'
  const int = /^(tinyint|smallint|mediumint|int|bigint)\(\d+\)( unsigned)?$/.exec(t)
  if (int !== null && !(int[1] === 'tinyint' && t.startsWith('tinyint(1)'))) return `${int[1]}${int[2] ?? ''}`
  return t
}

function normalizeDefault(expr: string | null): string | null {
  if (expr === null) return null
  const t = expr.trim()
  return t === '' || t.toUpperCase() === 'NULL' ? null : t.toLowerCase()
}

type Mutable = { name: string; columns: LiveColumn[]; primaryKey: string[]; indexes: (LiveIndex & { columns: string[] })[]; foreignKeys: (LiveForeignKey & { columns: string[]; refColumns: string[] })[]; checks: LiveTable['checks'][number][] }

async function readSchema(query: CatalogQuery): Promise<LiveTable[]> {
  const tables = new Map<string, Mutable>()
  for (const [name] of await query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
    tables.set(text(name), { name: text(name), columns: [], primaryKey: [], indexes: [], foreignKeys: [], checks: [] })
  }
  const cols = await query('SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION')
  for (const r of cols) {
    tables.get(text(r[0]))?.columns.push({
      name: text(r[1]), type: normalizeType(text(r[2])), nullable: text(r[3]) === 'YES',
      default: normalizeDefault(r[4] === null ? null : text(r[4])), autoIncrement: text(r[5]).toLowerCase().includes('auto_increment'),
    })
  }
  const fkRows = await query(`SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE
    FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r
      ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
    WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`)
  for (const r of fkRows) {
    const t = tables.get(text(r[0]))
    if (t === undefined) continue
    let fk = t.foreignKeys.find((f) => f.name === text(r[1]))
    if (fk === undefined) {
      fk = { name: text(r[1]), columns: [], refTable: text(r[3]), refColumns: [], onDelete: normalizeOnDelete(text(r[5])) }
      t.foreignKeys.push(fk)
    }
    fk.columns.push(text(r[2]))
    fk.refColumns.push(text(r[4]))
  }
  const idx = await query('SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX')
  for (const r of idx) {
    const t = tables.get(text(r[0]))
    if (t === undefined) continue
    const name = text(r[1])
    if (name === 'PRIMARY') {
      t.primaryKey.push(text(r[3]))
      continue
    }
    if (t.foreignKeys.some((f) => f.name === name)) continue
    let index = t.indexes.find((i) => i.name === name)
    if (index === undefined) {
      index = { name, columns: [], unique: Number(r[2]) === 0 }
      t.indexes.push(index)
    }
    index.columns.push(text(r[3]))
  }
  const checks = await query('SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME')
  for (const r of checks) {
    const t = tables.get(text(r[0]))
    if (t !== undefined && !t.columns.some((c) => c.name === text(r[1]))) t.checks.push({ name: text(r[1]), values: stringLiterals(text(r[2])) })
  }
  return [...tables.values()]
}

/** mysql2 column type codes: integers, decimals, dates, JSON; binary strings by character set 63. */
function resultType(column: ResultColumn): ScalarType | null {
  const { columnType: code, characterSet } = column as { columnType?: unknown; characterSet?: unknown }
  if (typeof code !== 'number') return null
  if ([1, 2, 3, 8, 9].includes(code)) return 'bigint'
  if (code === 0 || code === 246) return 'decimal'
  if (code === 7 || code === 12) return 'date'
  if (code === 10) return 'dateonly'
  if (code === 245) return 'json'
  if ([249, 250, 251, 252, 253, 254].includes(code) && characterSet === 63) return 'bytes'
  return null
}

function alterTable(change: TableAlteration): { steps: MigrationStep[]; rebuilt: boolean } {
  const table = q(change.to.table.name)
  const sql: string[] = []
  for (const check of change.dropChecks) sql.push(`ALTER TABLE ${table} DROP CONSTRAINT ${q(check.name)}`)
  for (const [from, to] of change.renames) sql.push(`ALTER TABLE ${table} RENAME COLUMN ${q(from)} TO ${q(to)}`)
  for (const col of change.addColumns) sql.push(`ALTER TABLE ${table} ADD COLUMN ${change.to.columnSql.get(col)!.line}`)
  for (const col of change.alterColumns) sql.push(`ALTER TABLE ${table} MODIFY COLUMN ${change.to.columnSql.get(col)!.line}`)
  for (const col of change.dropColumns) sql.push(`ALTER TABLE ${table} DROP COLUMN ${q(col)}`)
  if (change.primaryKeyChanged) {
    const pk = change.to.table.primaryKey
    if (pk.length === 0) throw new MappingError(`table '${change.to.table.name}': the model has no primary key`)
    sql.push(`ALTER TABLE ${table} DROP PRIMARY KEY, ADD PRIMARY KEY (${pk.map(q).join(', ')})`)
  }
  for (const name of change.addChecks) sql.push(`ALTER TABLE ${table} ADD ${change.to.checkSql.get(name)!}`)
  return { steps: sql.map((s) => ({ sql: s, phase: 'main' })), rebuilt: false }
}

export const mysqlIntrospector: Introspector = {
  readSchema,
  normalizeType,
  normalizeDefault,
  resultType,
  alterTable,
  dropIndex: (table, index) => `DROP INDEX ${q(index)} ON ${q(table)}`,
  dropForeignKey: (table, name) => `ALTER TABLE ${q(table)} DROP FOREIGN KEY ${q(name)}`,
  inlineForeignKeys: false,
  wrap: (steps) => [...steps],
}
