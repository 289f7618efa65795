/**
 * PostgreSQL's side of migrations. The schema is the current schema
 * (`current_schema()`), read from `pg_catalog`: `format_type` gives each
 * column's type in one canonical spelling, to which the model's DDL types
 * are normalised (`VARCHAR(100)` → `character varying(100)`). Tables are
 * altered in place: RENAME COLUMN, ADD/DROP COLUMN, ALTER COLUMN TYPE …
 * USING, SET/DROP NOT NULL, SET/DROP DEFAULT, and CHECK constraints dropped
 * and added by name. All of it runs in one transaction.
 */
import { MappingError } from '../../compiler/errors.js'
import type { ScalarType } from '../../compiler/schema.js'
import type { CatalogQuery, Introspector, LiveTable, MigrationStep, TableAlteration } from '../shared/introspect-types.js'
import { normalizeOnDelete, stringLiterals, text } from '../shared/introspect-text.js'
import { postgresFlavor } from './sql-flavor.js'
import { OIDS } from './type-parsers.js'

const q = postgresFlavor.quoteId

const TYPE_WORDS: Record<string, string> = {
  int: 'integer', int4: 'integer', int8: 'bigint', int2: 'smallint', bool: 'boolean', float8: 'double precision',
  varchar: 'character varying', timestamptz: 'timestamp with time zone', decimal: 'numeric',
}

function normalizeType(sqlType: string): string {
  const t = sqlType.trim().toLowerCase().replace(/\s*,\s*/g, ',').replace(/\s+/g, ' ')
  const m = /^([a-z0-9_ ]+?)(\([0-9,]+\))?$/.exec(t)
  if (m === null) return t
  const base = TYPE_WORDS[m[1]!] ?? m[1]!
  const args = m[2] ?? ''
  if (base === 'timestamp with time zone') return `timestamp${args} with time zone`
  return `${base}${args}`
}

function normalizeDefault(expr: string | null): string | null {
  if (expr === null) return null
  let t = expr.trim()
  while (/^\(.*\)$/.test(t)) t = t.slice(1, -1).trim()
  t = t.replace(/::[a-z ]+(\([0-9,]+\))?(\[\])?/gi, '')
  return t === '' || t.toUpperCase() === 'NULL' ? null : t.toLowerCase()
}

const SCHEMA = `n.nspname = current_schema()`

async function readSchema(query: CatalogQuery): Promise<LiveTable[]> {
  const tables = new Map<string, { name: string; columns: LiveTable['columns'][number][]; primaryKey: string[]; indexes: LiveTable['indexes'][number][]; foreignKeys: LiveTable['foreignKeys'][number][]; checks: LiveTable['checks'][number][] }>()
  const rel = `FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${SCHEMA} AND c.relkind IN ('r', 'p')`
  for (const [name] of await query(`SELECT c.relname ${rel} ORDER BY c.relname`)) {
    tables.set(text(name), { name: text(name), columns: [], primaryKey: [], indexes: [], foreignKeys: [], checks: [] })
  }
  const cols = await query(`SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE ${SCHEMA} AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum`)
  for (const r of cols) {
    tables.get(text(r[0]))?.columns.push({
      name: text(r[1]), type: normalizeType(text(r[2])), nullable: r[3] !== true,
      default: normalizeDefault(r[4] === null ? null : text(r[4])), autoIncrement: text(r[5]) !== '',
    })
  }
  const keyCols = (arr: string, rel: string): string =>
    `(SELECT json_agg(a.attname ORDER BY k.n) FROM unnest(${arr}) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.attnum)`
  const indexes = await query(`SELECT t.relname, i.relname, ix.indisunique, ${keyCols('ix.indkey::int2[]', 't.oid')}
    FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE ${SCHEMA} AND NOT ix.indisprimary ORDER BY t.relname, i.relname`)
  for (const r of indexes) tables.get(text(r[0]))?.indexes.push({ name: text(r[1]), unique: r[2] === true, columns: JSON.parse(text(r[3])) as string[] })
  const constraints = await query(`SELECT t.relname, co.conname, co.contype, ${keyCols('co.conkey', 'co.conrelid')}, rt.relname, ${keyCols('co.confkey', 'co.confrelid')}, co.confdeltype, pg_get_constraintdef(co.oid)
    FROM pg_constraint co JOIN pg_class t ON t.oid = co.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace LEFT JOIN pg_class rt ON rt.oid = co.confrelid
    WHERE ${SCHEMA} AND co.contype IN ('p', 'f', 'c') ORDER BY t.relname, co.conname`)
  const rules: Record<string, string> = { c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' }
  for (const r of constraints) {
    const t = tables.get(text(r[0]))
    if (t === undefined) continue
    const columns = r[3] === null ? [] : (JSON.parse(text(r[3])) as string[])
    if (r[2] === 'p') t.primaryKey = columns
    else if (r[2] === 'c') t.checks.push({ name: text(r[1]), values: stringLiterals(text(r[7])) })
    else t.foreignKeys.push({ name: text(r[1]), columns, refTable: text(r[4]), refColumns: JSON.parse(text(r[5])) as string[], onDelete: normalizeOnDelete(rules[text(r[6])] ?? 'NO ACTION') })
  }
  return [...tables.values()]
}

const RESULT_TYPES = new Map<number, ScalarType>([
  [OIDS.int8, 'bigint'], [OIDS.numeric, 'decimal'], [OIDS.date, 'dateonly'], [OIDS.json, 'json'], [OIDS.jsonb, 'json'],
  [OIDS.timestamp, 'date'], [OIDS.timestamptz, 'date'], [16, 'boolean'], [17, 'bytes'],
])

function alterTable(change: TableAlteration): { steps: MigrationStep[]; rebuilt: boolean } {
  const table = q(change.to.table.name)
  if (change.primaryKeyChanged) throw new MappingError(`table '${change.to.table.name}': changing the primary key of an existing table is not supported by migrations on PostgreSQL; create a new table and copy the rows`)
  const sql: string[] = []
  for (const check of change.dropChecks) sql.push(`ALTER TABLE ${table} DROP CONSTRAINT ${q(check.name)}`)
  for (const [from, to] of change.renames) sql.push(`ALTER TABLE ${table} RENAME COLUMN ${q(from)} TO ${q(to)}`)
  for (const col of change.addColumns) sql.push(`ALTER TABLE ${table} ADD COLUMN ${change.to.columnSql.get(col)!.line}`)
  const oldName = new Map([...change.renames].map(([from, to]) => [to, from]))
  for (const col of change.alterColumns) {
    const want = change.to.table.columns.find((c) => c.name === col)!
    const have = change.from.columns.find((c) => c.name === (oldName.get(col) ?? col))!
    const def = change.to.columnSql.get(col)!
    const c = q(col)
    if (want.type !== have.type) sql.push(`ALTER TABLE ${table} ALTER COLUMN ${c} TYPE ${def.type} USING ${c}::${def.type}`)
    if (want.nullable !== have.nullable) sql.push(`ALTER TABLE ${table} ALTER COLUMN ${c} ${want.nullable ? 'DROP' : 'SET'} NOT NULL`)
    if (want.default !== have.default) sql.push(`ALTER TABLE ${table} ALTER COLUMN ${c} ${def.default === null ? 'DROP DEFAULT' : `SET DEFAULT ${def.default}`}`)
  }
  for (const col of change.dropColumns) sql.push(`ALTER TABLE ${table} DROP COLUMN ${q(col)}`)
  for (const name of change.addChecks) sql.push(`ALTER TABLE ${table} ADD ${change.to.checkSql.get(name)!}`)
  return { steps: sql.map((s) => ({ sql: s, phase: 'main' })), rebuilt: false }
}

export const postgresIntrospector: Introspector = {
  readSchema,
  normalizeType,
  normalizeDefault,
  resultType: (column) => RESULT_TYPES.get((column as { dataTypeID?: number }).dataTypeID ?? -1) ?? null,
  alterTable,
  dropIndex: (_table, index) => `DROP INDEX ${q(index)}`,
  dropForeignKey: (table, name) => `ALTER TABLE ${q(table)} DROP CONSTRAINT ${q(name)}`,
  inlineForeignKeys: false,
  wrap: (steps) => [...steps],
}
