/**
 * SQLite's side of migrations. The schema comes from `sqlite_master` joined
 * with the `pragma_*` table functions, four statements for any number of
 * tables; types are the declared text, upper-cased. SQLite alters almost
 * nothing in place, so every changed table is rebuilt with the standard
 * recipe: create the new table under a temporary name, copy the rows
 * (renamed columns mapped), drop the old table, rename the new one, recreate
 * its indexes. The whole migration runs with foreign keys off and
 * ends with `PRAGMA foreign_key_check`, inside one transaction.
 */
import type { ScalarType } from '../../compiler/schema.js'
import type { ResultColumn } from '../dialect.js'
import type { CatalogQuery, Introspector, LiveCheck, LiveForeignKey, LiveIndex, LiveTable, MigrationStep, TableAlteration } from '../shared/introspect-types.js'
import { normalizeOnDelete, readIdentifier, stringLiterals, text } from '../shared/introspect-text.js'
import { sqliteFlavor } from './sql-flavor.js'

const q = sqliteFlavor.quoteId

function normalizeType(sqlType: string): string {
  return sqlType.trim().toUpperCase().replace(/\s*,\s*/g, ',').replace(/\s+/g, ' ')
}

function normalizeDefault(expr: string | null): string | null {
  if (expr === null) return null
  const t = expr.trim()
  return t === '' || t.toUpperCase() === 'NULL' ? null : t
}

function checksOf(createSql: string): LiveCheck[] {
  const out: LiveCheck[] = []
  for (const line of createSql.split(/,\s*\n\s*/)) {
    const at = line.indexOf('CONSTRAINT ')
    if (at < 0) continue
    const [name, after] = readIdentifier(line, at + 11, '"')
    if (/^\s*CHECK/i.test(line.slice(after))) out.push({ name, values: stringLiterals(line.slice(after)) })
  }
  return out
}

const USER_TABLES = "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"

/** Rows of a pragma table function for every user table at once, each row led by its table's name. */
const perTable = (select: string, join: string, order: string, where = ''): string =>
  `SELECT m.name, ${select} FROM sqlite_master m JOIN ${join} WHERE ${USER_TABLES}${where} ORDER BY m.name, ${order}`

/** Rows led by a table name → that table's rows without it. */
function byTable(rows: readonly unknown[][]): Map<string, unknown[][]> {
  const out = new Map<string, unknown[][]>()
  for (const [table, ...rest] of rows) {
    const name = text(table)
    if (!out.has(name)) out.set(name, [])
    out.get(name)!.push(rest)
  }
  return out
}

/** One table from its rows of `pragma_table_xinfo`, `pragma_index_list` ⋈ `pragma_index_info` and `pragma_foreign_key_list`. */
function readTable(name: string, createSql: string, cols: readonly unknown[][], indexRows: readonly unknown[][], fkRows: readonly unknown[][]): LiveTable {
  const pk = cols.filter((c) => Number(c[4]) > 0).sort((a, b) => Number(a[4]) - Number(b[4])).map((c) => text(c[0]))
  const columns = cols.map((c) => ({
    name: text(c[0]),
    type: normalizeType(text(c[1])),
    nullable: Number(c[2]) === 0 && !pk.includes(text(c[0])),
    default: normalizeDefault(c[3] === null ? null : text(c[3])),
    autoIncrement: pk.length === 1 && pk[0] === text(c[0]) && normalizeType(text(c[1])) === 'INTEGER',
  }))
  const indexes: (LiveIndex & { columns: string[] })[] = []
  for (const idx of indexRows) {
    if (text(idx[2]) === 'pk' || text(idx[0]).startsWith('sqlite_autoindex_')) continue
    let index = indexes.at(-1)
    if (index?.name !== text(idx[0])) {
      index = { name: text(idx[0]), columns: [], unique: Number(idx[1]) === 1 }
      indexes.push(index)
    }
    if (idx[3] !== null) index.columns.push(text(idx[4]))
  }
  const byId = new Map<number, LiveForeignKey & { columns: string[]; refColumns: string[] }>()
  for (const r of fkRows) {
    const id = Number(r[0])
    let fk = byId.get(id)
    if (fk === undefined) {
      fk = { name: '', columns: [], refTable: text(r[1]), refColumns: [], onDelete: normalizeOnDelete(text(r[4])) }
      byId.set(id, fk)
    }
    fk.columns.push(text(r[2]))
    fk.refColumns.push(text(r[3]))
  }
  return { name, columns, primaryKey: pk, indexes, foreignKeys: [...byId.values()], checks: checksOf(createSql) }
}

/**
 * Every table in four statements however many tables there are: the tables,
 * then the columns, the indexes with their columns, and the foreign keys of
 * all of them, each a pragma table function joined with `sqlite_master`.
 */
async function readSchema(query: CatalogQuery): Promise<LiveTable[]> {
  const tables = await query(`SELECT m.name, m.sql FROM sqlite_master m WHERE ${USER_TABLES} ORDER BY m.name`)
  const cols = byTable(await query(perTable('p.name, p.type, p."notnull", p.dflt_value, p.pk', 'pragma_table_xinfo(m.name) p', 'p.cid', ' AND p.hidden = 0')))
  const indexes = byTable(await query(perTable('il.name, il."unique", il.origin, ii.seqno, ii.name', 'pragma_index_list(m.name) il LEFT JOIN pragma_index_info(il.name) ii', 'il.seq, ii.seqno')))
  const fks = byTable(await query(perTable('f.id, f."table", f."from", f."to", f.on_delete', 'pragma_foreign_key_list(m.name) f', 'f.id, f.seq')))
  return tables.map(([table, createSql]) => {
    const name = text(table)
    return readTable(name, text(createSql), cols.get(name) ?? [], indexes.get(name) ?? [], fks.get(name) ?? [])
  })
}

function resultType(column: ResultColumn): ScalarType | null {
  const declared = (column as { type?: unknown }).type
  return typeof declared === 'string' && declared.toUpperCase() === 'BOOLEAN' ? 'boolean' : null
}


/** The rebuild recipe for one table: every change at once. */
function alterTable(change: TableAlteration): { steps: MigrationStep[]; rebuilt: boolean } {
  const name = change.to.table.name
  const temp = `pinto_new_${name}`
  const create = change.to.create.replace(/^CREATE TABLE ("(?:[^"]|"")*"|\S+)/, `CREATE TABLE ${q(temp)}`)
  const oldName = new Map([...change.renames].map(([from, to]) => [to, from]))
  const live = new Set(change.from.columns.map((c) => c.name))
  const copied = change.to.table.columns.map((c) => c.name).filter((c) => live.has(oldName.get(c) ?? c))
  const steps: MigrationStep[] = [
    { sql: create, phase: 'main' },
    { sql: `INSERT INTO ${q(temp)} (${copied.map(q).join(', ')}) SELECT ${copied.map((c) => q(oldName.get(c) ?? c)).join(', ')} FROM ${q(name)}`, phase: 'main' },
    { sql: `DROP TABLE ${q(name)}`, phase: 'main' },
    { sql: `ALTER TABLE ${q(temp)} RENAME TO ${q(name)}`, phase: 'main' },
    ...[...change.to.indexSql.values()].map((sql) => ({ sql, phase: 'main' as const })),
  ]
  return { steps, rebuilt: true }
}

function wrap(steps: readonly MigrationStep[]): MigrationStep[] {
  if (steps.length === 0) return []
  return [
    { sql: 'PRAGMA foreign_keys = OFF', phase: 'before' },
    ...steps,
    { sql: 'PRAGMA foreign_key_check', phase: 'main', expectNoRows: true },
    { sql: 'PRAGMA foreign_keys = ON', phase: 'after', readBack: { sql: 'PRAGMA foreign_keys', expected: '1' } },
  ]
}

export const sqliteIntrospector: Introspector = {
  readSchema,
  normalizeType,
  normalizeDefault,
  resultType,
  alterTable,
  dropIndex: (_table, index) => `DROP INDEX ${q(index)}`,
  dropForeignKey: () => '',
  inlineForeignKeys: true,
  wrap,
}
