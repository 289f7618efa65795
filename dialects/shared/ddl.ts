/**
 * The DDL builder every dialect uses. In: a `SchemaInfo` and a dialect's
 * `DdlRules` (quoting, type map, auto-increment form, where foreign keys go,
 * table options, how to drop). Out: CREATE TABLE statements in dependency
 * order (a table per root entity, then link tables), CREATE INDEX statements,
 * then `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY` — unless the dialect puts
 * foreign keys inside CREATE TABLE (SQLite), which is what lets self and
 * mutual references work on every database. Constraint names are
 * deterministic (`fk_<table>__<cols>`, `ck_<table>__<col>`) and fitted to the
 * identifier limit.
 */
import { MappingError } from '../../compiler/errors.js'
import { pkColumnsOf, tableColumns, type ColumnInfo, type EntityInfo, type LinkTableInfo, type SchemaInfo } from '../../compiler/schema.js'
import { constraintName, fitName } from './names.js'

export interface ForeignKeyParts {
  /** Quoted table, constraint name, column list and `"t" ("id") ON DELETE …`. */
  readonly table: string
  readonly name: string
  readonly columns: string
  readonly references: string
}

export interface DdlRules {
  readonly quoteId: (name: string) => string
  /** A string literal (Enum values in CHECK constraints). */
  readonly stringLiteral: (text: string) => string
  /** Longest identifier, in UTF-8 bytes. */
  readonly maxNameBytes: number
  /** SQL type of a column; `keyed` when it is in the primary key, an index or a foreign key. */
  columnType(col: ColumnInfo, keyed: boolean): string
  /** What follows the name of an auto-increment column that is the whole primary key, and whether that declares the key. */
  autoIncrement(col: ColumnInfo): { readonly definition: string; readonly declaresPrimaryKey: boolean }
  /** Foreign keys inside CREATE TABLE instead of ALTER TABLE afterwards. */
  readonly inlineForeignKeys: boolean
  /** Appended to CREATE TABLE after its closing parenthesis. */
  readonly tableOptions: string
  /** ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY, skipping an existing one when `ifNotExists`. */
  addForeignKey(fk: ForeignKeyParts, ifNotExists: boolean): string
  /** Statements dropping these tables (dependents first), whatever references and rows they hold. */
  dropTables(quotedTables: readonly string[]): string[]
}

interface ForeignKey {
  readonly columns: readonly string[]
  readonly refTable: string
  readonly refColumns: readonly string[]
  readonly onDelete: string | undefined
}

interface TableSpec {
  readonly name: string
  readonly columns: readonly ColumnInfo[]
  readonly pk: readonly string[]
  readonly fks: readonly ForeignKey[]
  readonly indexes: readonly { readonly name: string; readonly columns: readonly string[]; readonly unique: boolean }[]
}

function entityTable(root: EntityInfo): TableSpec {
  const fks: ForeignKey[] = []
  const seen = new Set<string>()
  for (const member of root.family) {
    for (const attr of member.attrs.values()) {
      if (attr.entity !== member || attr.relation !== 'toOne' || attr.target === null) continue
      const columns = attr.columns.map((c) => c.name)
      if (seen.has(columns.join('\0'))) continue
      seen.add(columns.join('\0'))
      fks.push({ columns, refTable: attr.target.root.table, refColumns: pkColumnsOf(attr.target.root).names, onDelete: attr.onDelete })
    }
  }
  return { name: root.table, columns: tableColumns(root), pk: pkColumnsOf(root).names, fks, indexes: root.indexes }
}

/** The entities a link table joins: found through the attribute that owns it. */
function linkEnds(schema: SchemaInfo, link: LinkTableInfo): { own: EntityInfo; target: EntityInfo } {
  for (const entity of schema.entities.values()) {
    for (const attr of entity.attrs.values()) {
      if (attr.link === link && attr.target !== null) return { own: attr.entity.root, target: attr.target.root }
    }
  }
  throw new MappingError(`link table '${link.table}' belongs to no many-to-many attribute`)
}

function linkTable(schema: SchemaInfo, link: LinkTableInfo): TableSpec {
  const { own, target } = linkEnds(schema, link)
  const ownCols = link.ownColumns.map((c) => c.name)
  const targetCols = link.targetColumns.map((c) => c.name)
  return {
    name: link.table,
    columns: [...link.ownColumns, ...link.targetColumns],
    pk: [...ownCols, ...targetCols],
    fks: [
      { columns: ownCols, refTable: own.table, refColumns: pkColumnsOf(own).names, onDelete: 'CASCADE' },
      { columns: targetCols, refTable: target.table, refColumns: pkColumnsOf(target).names, onDelete: 'CASCADE' },
    ],
    indexes: [{ name: `idx_${link.table}__${targetCols.join('_')}`, columns: targetCols, unique: false }],
  }
}

/** Entity tables with parents before children (cycles broken in definition order), then link tables. */
function orderedTables(schema: SchemaInfo): TableSpec[] {
  const roots = [...new Set([...schema.entities.values()].map((e) => e.root))]
  const specs = new Map(roots.map((root) => [root.table, entityTable(root)]))
  const out: TableSpec[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (spec: TableSpec): void => {
    if (state.has(spec.name)) return
    state.set(spec.name, 'visiting')
    for (const fk of spec.fks) {
      const parent = specs.get(fk.refTable)
      if (parent !== undefined) visit(parent)
    }
    state.set(spec.name, 'done')
    out.push(spec)
  }
  for (const spec of specs.values()) visit(spec)
  return [...out, ...schema.linkTables.map((link) => linkTable(schema, link))]
}

class DdlWriter {
  constructor(private readonly rules: DdlRules) {}

  private q = (name: string): string => this.rules.quoteId(name)
  private list = (names: readonly string[]): string => names.map(this.q).join(', ')
  private fit = (prefix: string, table: string, cols: readonly string[]): string =>
    this.q(constraintName(prefix, table, cols, this.rules.maxNameBytes))

  private references(fk: ForeignKey): string {
    const onDelete = fk.onDelete === undefined ? '' : ` ON DELETE ${fk.onDelete}`
    return `${this.q(fk.refTable)} (${this.list(fk.refColumns)})${onDelete}`
  }

  private column(col: ColumnInfo, spec: TableSpec, keyed: Set<string>): { sql: string; declaresPk: boolean } {
    const soleKey = spec.pk.length === 1 && spec.pk[0] === col.name
    if (col.autoIncrement === true && soleKey) {
      const auto = this.rules.autoIncrement(col)
      return { sql: `${this.q(col.name)} ${auto.definition}`, declaresPk: auto.declaresPrimaryKey }
    }
    const notNull = col.nullable ? '' : ' NOT NULL'
    const dflt = col.sqlDefault === undefined ? '' : ` DEFAULT ${col.sqlDefault}`
    return { sql: `${this.q(col.name)} ${this.rules.columnType(col, keyed.has(col.name))}${notNull}${dflt}`, declaresPk: false }
  }

  createTable(spec: TableSpec, ifNotExists: boolean): string {
    const keyed = new Set([...spec.pk, ...spec.fks.flatMap((f) => f.columns), ...spec.indexes.flatMap((i) => i.columns)])
    const lines: string[] = []
    let pkDeclared = false
    for (const col of spec.columns) {
      const { sql, declaresPk } = this.column(col, spec, keyed)
      lines.push(sql)
      pkDeclared ||= declaresPk
    }
    if (!pkDeclared && spec.pk.length > 0) lines.push(`PRIMARY KEY (${this.list(spec.pk)})`)
    for (const col of spec.columns) {
      if (col.enumValues === undefined || col.enumValues.length === 0) continue
      const values = col.enumValues.map(this.rules.stringLiteral).join(', ')
      lines.push(`CONSTRAINT ${this.fit('ck', spec.name, [col.name])} CHECK (${this.q(col.name)} IN (${values}))`)
    }
    if (this.rules.inlineForeignKeys) {
      for (const fk of spec.fks) {
        lines.push(`CONSTRAINT ${this.fit('fk', spec.name, fk.columns)} FOREIGN KEY (${this.list(fk.columns)}) REFERENCES ${this.references(fk)}`)
      }
    }
    const ine = ifNotExists ? 'IF NOT EXISTS ' : ''
    return `CREATE TABLE ${ine}${this.q(spec.name)} (\n  ${lines.join(',\n  ')}\n)${this.rules.tableOptions}`
  }

  createIndexes(spec: TableSpec, ifNotExists: boolean): string[] {
    const ine = ifNotExists ? 'IF NOT EXISTS ' : ''
    return spec.indexes.map((index) => {
      const name = this.q(fitName(index.name, this.rules.maxNameBytes))
      return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${ine}${name} ON ${this.q(spec.name)} (${this.list(index.columns)})`
    })
  }

  addForeignKeys(spec: TableSpec, ifNotExists: boolean): string[] {
    if (this.rules.inlineForeignKeys) return []
    return spec.fks.map((fk) => this.rules.addForeignKey({
      table: this.q(spec.name),
      name: this.fit('fk', spec.name, fk.columns),
      columns: this.list(fk.columns),
      references: this.references(fk),
    }, ifNotExists))
  }
}

/**
 * CREATE TABLE, CREATE INDEX and foreign-key statements for a schema, in an order that runs.
 *
 *     createSchemaStatements(postgresDdlRules, schema)
 *     // ['CREATE TABLE "car" (\n  "id" INTEGER GENERATED BY DEFAULT AS IDENTITY,\n  "owner" INTEGER NOT NULL,\n  PRIMARY KEY ("id")\n)',
 *     //  'CREATE INDEX "idx_car__owner" ON "car" ("owner")',
 *     //  'ALTER TABLE "car" ADD CONSTRAINT "fk_car__owner" FOREIGN KEY ("owner") REFERENCES "person" ("id") ON DELETE CASCADE']
 */
export function createSchemaStatements(rules: DdlRules, schema: SchemaInfo, options?: { ifNotExists?: boolean }): string[] {
  const ifNotExists = options?.ifNotExists === true
  const writer = new DdlWriter(rules)
  const tables = orderedTables(schema)
  return [
    ...tables.map((t) => writer.createTable(t, ifNotExists)),
    ...tables.flatMap((t) => writer.createIndexes(t, ifNotExists)),
    ...tables.flatMap((t) => writer.addForeignKeys(t, ifNotExists)),
  ]
}

/** Statements dropping every table of the schema: link tables first, then children before parents. */
export function dropSchemaStatements(rules: DdlRules, schema: SchemaInfo): string[] {
  return rules.dropTables(orderedTables(schema).reverse().map((t) => rules.quoteId(t.name)))
}

export const DEFAULT_DECIMAL_PRECISION = 30
export const DEFAULT_DECIMAL_SCALE = 10

/** `p, s` of NUMERIC/DECIMAL: 30, 10 by default; a precision without a scale means scale 0, as in SQL. */
export function decimalSize(col: ColumnInfo): string {
  if (col.precision === undefined) return `${DEFAULT_DECIMAL_PRECISION}, ${col.scale ?? DEFAULT_DECIMAL_SCALE}`
  return `${col.precision}, ${col.scale ?? 0}`
}

/** VARCHAR length of an Enum column: its longest value, at least 32, so that adding a value rarely widens it. */
export function enumLength(col: ColumnInfo): number {
  return col.maxLen ?? Math.max(32, ...(col.enumValues ?? []).map((v) => [...v].length))
}

/** The usual `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY (…) REFERENCES …`. */
export function plainAddForeignKey(fk: ForeignKeyParts): string {
  return `ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} FOREIGN KEY (${fk.columns}) REFERENCES ${fk.references}`
}
