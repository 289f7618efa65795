/**
 * The fixed-shape statements of the unit of work and of loading by key:
 * INSERT, UPDATE and DELETE of one row, SELECT of rows matching column values
 * (by primary key, by unique attributes, a collection's children, through a
 * link table), and link-table rows. No lambda is involved, so these bypass
 * the translator: each takes table and column names from the schema, quotes
 * every identifier, and leaves every value to a bound parameter.
 */
import { pkColumnsOf, type AttrInfo, type ColumnInfo, type EntityInfo } from './schema.js'
import type { SqlFlavor } from './sql-flavor.js'

/** A condition on one column: `col = ?`, or `col IS NULL` when the value is null. */
export interface ColumnTest {
  readonly column: string
  readonly isNull: boolean
}

class Placeholders {
  private n = 0
  constructor(private readonly flavor: SqlFlavor) {}
  next(): string {
    return this.flavor.placeholder(++this.n)
  }
}

/**
 * Fixed-shape statements are pure functions of (flavor, entity, shape): built
 * once, then reused. Each entity keeps at most MEMO_LIMIT texts; past that its
 * table starts again (a program with endless shapes costs rebuilds, not memory).
 */
const memoTable = new WeakMap<SqlFlavor, WeakMap<EntityInfo, EntityMemo>>()
const MEMO_LIMIT = 256

/** One entity's statements in one flavor: by shape key, and the one-key read in a slot of its own (no key string). */
interface EntityMemo {
  readonly byKey: Map<string, string>
  onePk: { readonly discriminatorValues: readonly string[] | undefined; readonly sql: string } | undefined
}

function entityMemo(flavor: SqlFlavor, entity: EntityInfo): EntityMemo {
  let byEntity = memoTable.get(flavor)
  if (byEntity === undefined) {
    byEntity = new WeakMap()
    memoTable.set(flavor, byEntity)
  }
  let table = byEntity.get(entity)
  if (table === undefined) {
    table = { byKey: new Map(), onePk: undefined }
    byEntity.set(entity, table)
  }
  return table
}

function memo(flavor: SqlFlavor, entity: EntityInfo, key: string, build: () => string): string {
  const table = entityMemo(flavor, entity).byKey
  let sql = table.get(key)
  if (sql === undefined) {
    sql = build()
    if (table.size >= MEMO_LIMIT) table.clear()
    table.set(key, sql)
  }
  return sql
}

function whereClause(flavor: SqlFlavor, p: Placeholders, tests: readonly ColumnTest[], alias = ''): string {
  const prefix = alias === '' ? '' : `${alias}.`
  return tests.map((t) => (t.isNull ? `${prefix}${flavor.quoteId(t.column)} IS NULL` : `${prefix}${flavor.quoteId(t.column)} = ${p.next()}`)).join(' AND ')
}

/** `INSERT INTO t (a, b) VALUES (?, ?), (?, ?) [RETURNING pk]` into the table of `entity` (its root's, in a hierarchy). */
export function insertSql(flavor: SqlFlavor, entity: EntityInfo, columns: readonly string[], rows = 1, returning: readonly string[] = []): string {
  return memo(flavor, entity, `insert:${columns.join(',')}:${rows}:${returning.join(',')}`, () => buildInsert(flavor, entity.table, columns, rows, returning))
}

function buildInsert(flavor: SqlFlavor, table: string, columns: readonly string[], rows: number, returning: readonly string[]): string {
  const p = new Placeholders(flavor)
  const cols = columns.map((c) => flavor.quoteId(c)).join(', ')
  const values: string[] = []
  for (let r = 0; r < rows; r++) values.push(`(${columns.map(() => p.next()).join(', ')})`)
  const head = columns.length === 0 ? `INSERT INTO ${flavor.quoteId(table)} DEFAULT VALUES` : `INSERT INTO ${flavor.quoteId(table)} (${cols}) VALUES ${values.join(', ')}`
  return returning.length > 0 ? `${head} RETURNING ${returning.map((c) => flavor.quoteId(c)).join(', ')}` : head
}

/** `UPDATE t SET a = ?, b = ? WHERE pk = ? AND checked = ?`. */
export function updateSql(flavor: SqlFlavor, table: string, setColumns: readonly string[], where: readonly ColumnTest[]): string {
  const p = new Placeholders(flavor)
  const sets = setColumns.map((c) => `${flavor.quoteId(c)} = ${p.next()}`).join(', ')
  return `UPDATE ${flavor.quoteId(table)} SET ${sets} WHERE ${whereClause(flavor, p, where)}`
}

/** A check column of a batched UPDATE: `t.c = v.o1`, or `t.c IS NULL` (no bound value) when the value read was null. */
export interface BatchCheck {
  readonly column: ColumnInfo
  readonly isNull: boolean
}

/** What the rows of one batched UPDATE share: table, key columns, columns set, checks and their null-ness. */
export interface BatchUpdateShape {
  readonly table: string
  readonly keys: readonly ColumnInfo[]
  readonly set: readonly ColumnInfo[]
  readonly checks: readonly BatchCheck[]
}

/**
 * Whether a batched UPDATE compares a check column exactly as `col = ?` does.
 * A MySQL/MariaDB derived table of parameters holds a decimal as text, which
 * `=` compares with a DECIMAL column as a double: such groups stay per-row.
 */
export function batchCheckExact(flavor: SqlFlavor, column: ColumnInfo): boolean {
  return flavor.caps.batchUpdate === 'from-values' || column.type !== 'decimal'
}

/** The columns of the joined row set `v`: keys `k1…`, new values `s1…`, values read `o1…` (non-null checks only). */
function batchValueColumns(shape: BatchUpdateShape): { name: string; column: ColumnInfo }[] {
  const checks = shape.checks.filter((c) => !c.isNull).map((c) => c.column)
  return [
    ...shape.keys.map((column, i) => ({ name: `k${i + 1}`, column })),
    ...shape.set.map((column, i) => ({ name: `s${i + 1}`, column })),
    ...checks.map((column, i) => ({ name: `o${i + 1}`, column })),
  ]
}

/** `t.c = v.o1` / `t.c IS NULL` for each check, in order. */
function batchCheckTests(flavor: SqlFlavor, shape: BatchUpdateShape, t: string, v: string): string[] {
  let n = 0
  return shape.checks.map((c) => (c.isNull ? `${t}.${flavor.quoteId(c.column.name)} IS NULL` : `${t}.${flavor.quoteId(c.column.name)} = ${v}.${flavor.quoteId(`o${++n}`)}`))
}

/**
 * Many rows of one shape in one UPDATE; bound values row after row, each row
 * its key columns, new values, then the non-null values read.
 * `from-values` (PostgreSQL, SQLite), reporting the keys of the rows it matched:
 *   WITH v(k1, s1, o1) AS (VALUES ($1::INTEGER, $2, $3), …)
 *   UPDATE t AS t SET c = v.s1 FROM v WHERE t.pk = v.k1 AND t.c = v.o1 RETURNING pk
 * (the first row casts each value to its column's type where the flavor casts params;
 * RETURNING names the key unqualified, as SQLite requires, never ambiguous next to `v`'s names);
 * `join-union` (MySQL/MariaDB), whose affected-row count is the rows matched:
 *   UPDATE (SELECT ? AS k1, ? AS s1, ? AS o1 UNION ALL SELECT ?, ?, ?) v STRAIGHT_JOIN t t
 *   ON t.pk = v.k1 SET t.c = v.s1 WHERE t.c = v.o1
 * (STRAIGHT_JOIN reads `v` first and each row of `t` by its key, so that only
 * the rows of the batch are locked, never a scan of `t`).
 */
export function batchUpdateSql(flavor: SqlFlavor, entity: EntityInfo, shape: BatchUpdateShape, rows: number): string {
  const col = (c: ColumnInfo): string => `${c.name}:${c.type}`
  const key = `batch:${shape.keys.map(col).join(',')}|${shape.set.map(col).join(',')}|${shape.checks.map((c) => `${col(c.column)}${c.isNull ? '~' : ''}`).join(',')}|${rows}`
  return memo(flavor, entity, key, () => buildBatchUpdate(flavor, shape, rows))
}

function buildBatchUpdate(flavor: SqlFlavor, shape: BatchUpdateShape, rows: number): string {
  const p = new Placeholders(flavor)
  const values = batchValueColumns(shape)
  const t = flavor.quoteId('t')
  const v = flavor.quoteId('v')
  const keyTests = shape.keys.map((c, i) => `${t}.${flavor.quoteId(c.name)} = ${v}.${flavor.quoteId(`k${i + 1}`)}`)
  const tests = [...keyTests, ...batchCheckTests(flavor, shape, t, v)]
  const sets = (prefix: string): string => shape.set.map((c, i) => `${prefix}${flavor.quoteId(c.name)} = ${v}.${flavor.quoteId(`s${i + 1}`)}`).join(', ')
  const table = flavor.quoteId(shape.table)
  if (flavor.caps.batchUpdate === 'join-union') {
    const first = `SELECT ${values.map((c) => `${p.next()} AS ${flavor.quoteId(c.name)}`).join(', ')}`
    const selects = [first]
    for (let r = 1; r < rows; r++) selects.push(`SELECT ${values.map(() => p.next()).join(', ')}`)
    const where = tests.slice(keyTests.length)
    const on = `ON ${keyTests.join(' AND ')} SET ${sets(`${t}.`)}`
    return `UPDATE (${selects.join(' UNION ALL ')}) ${v} STRAIGHT_JOIN ${table} ${t} ${on}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`
  }
  const typed = (c: ColumnInfo): string => {
    const cast = flavor.paramCast(c.type)
    return cast === null ? p.next() : `CAST(${p.next()} AS ${cast})`
  }
  const tuples = [`(${values.map((c) => typed(c.column)).join(', ')})`]
  for (let r = 1; r < rows; r++) tuples.push(`(${values.map(() => p.next()).join(', ')})`)
  const cte = `WITH ${v}(${values.map((c) => flavor.quoteId(c.name)).join(', ')}) AS (VALUES ${tuples.join(', ')})`
  const returning = shape.keys.map((c) => flavor.quoteId(c.name)).join(', ')
  return `${cte} UPDATE ${table} AS ${t} SET ${sets('')} FROM ${v} WHERE ${tests.join(' AND ')} RETURNING ${returning}`
}

/** Savepoints around a batched UPDATE that may have to be replayed row by row. */
export function savepointSql(flavor: SqlFlavor, name: string): string {
  return `SAVEPOINT ${flavor.quoteId(name)}`
}

export function rollbackToSavepointSql(flavor: SqlFlavor, name: string): string {
  return `ROLLBACK TO SAVEPOINT ${flavor.quoteId(name)}`
}

/** `DELETE FROM t WHERE pk = ? AND checked = ?`. */
export function deleteSql(flavor: SqlFlavor, table: string, where: readonly ColumnTest[]): string {
  const p = new Placeholders(flavor)
  return `DELETE FROM ${flavor.quoteId(table)} WHERE ${whereClause(flavor, p, where)}`
}

/** The attributes whose columns make up an entity row: primary key first, then every non-lazy stored attribute of the family. */
const rowAttrsMemo = new WeakMap<EntityInfo, AttrInfo[]>()

export function entityRowAttrs(entity: EntityInfo): AttrInfo[] {
  const cached = rowAttrsMemo.get(entity)
  if (cached !== undefined) return cached
  const out: AttrInfo[] = [...entity.pk]
  const seen = new Set<AttrInfo>(out)
  for (const member of entity.family) {
    for (const attr of member.attrs.values()) {
      if (seen.has(attr) || attr.columns.length === 0 || attr.lazy) continue
      seen.add(attr)
      out.push(attr)
    }
  }
  rowAttrsMemo.set(entity, out)
  return out
}

export interface SelectByColumnsOptions {
  /** Restrict to these discriminator values (a subclass of a hierarchy). */
  readonly discriminatorValues?: readonly string[] | undefined
  readonly forUpdate?: boolean
  /** Count instead of returning the rows. */
  readonly count?: boolean
}

/** Columns selected for an entity row, in `entityRowAttrs` order, then the discriminator. */
export function entitySelectList(flavor: SqlFlavor, entity: EntityInfo, alias: string): string {
  return memo(flavor, entity, `list:${alias}`, () => buildSelectList(flavor, entity, alias))
}

function buildSelectList(flavor: SqlFlavor, entity: EntityInfo, alias: string): string {
  const cols = entityRowAttrs(entity).flatMap((a) => a.columns.map((c) => `${alias}.${flavor.quoteId(c.name)}`))
  if (entity.root.discriminator !== null) cols.push(`${alias}.${flavor.quoteId(entity.root.discriminator)}`)
  return cols.join(', ')
}

function discriminatorTest(flavor: SqlFlavor, entity: EntityInfo, p: Placeholders, alias: string, values: readonly string[] | undefined): string {
  if (values === undefined || entity.root.discriminator === null) return ''
  return ` AND ${alias}.${flavor.quoteId(entity.root.discriminator)} IN (${values.map(() => p.next()).join(', ')})`
}

/**
 * `SELECT <entity columns> FROM t WHERE a = ? AND b IS NULL`: rows by primary key, unique key or foreign key.
 * Bound values: the non-null tests' values, then the discriminator values.
 */
export function selectByColumnsSql(flavor: SqlFlavor, entity: EntityInfo, where: readonly ColumnTest[], options: SelectByColumnsOptions = {}): string {
  const p = new Placeholders(flavor)
  const alias = flavor.quoteId('t')
  const list = options.count === true ? 'COUNT(*)' : entitySelectList(flavor, entity, alias)
  let sql = `SELECT ${list} FROM ${flavor.quoteId(entity.root.table)} ${alias} WHERE ${whereClause(flavor, p, where, alias)}`
  sql += discriminatorTest(flavor, entity, p, alias, options.discriminatorValues)
  if (options.forUpdate === true && flavor.caps.forUpdate) sql += ' FOR UPDATE'
  return sql
}

/** Many-to-many: how many objects one owner links to (`SELECT COUNT(*) FROM link WHERE l.oc = ?`). */
export function countLinksSql(flavor: SqlFlavor, attr: AttrInfo): string {
  const link = attr.link!
  const p = new Placeholders(flavor)
  const where = whereClause(flavor, p, link.ownColumns.map((c) => ({ column: c.name, isNull: false })))
  return `SELECT COUNT(*) FROM ${flavor.quoteId(link.table)} WHERE ${where}`
}

/** One link row: `INSERT INTO link (own…, target…) VALUES (?, ?)`. */
export function linkInsertSql(flavor: SqlFlavor, attr: AttrInfo): string {
  const link = attr.link!
  return buildInsert(flavor, link.table, [...link.ownColumns, ...link.targetColumns].map((c) => c.name), 1, [])
}

/** One link row, or every row of the owner when `targetToo` is false. */
export function linkDeleteSql(flavor: SqlFlavor, attr: AttrInfo, targetToo = true): string {
  const link = attr.link!
  const cols = targetToo ? [...link.ownColumns, ...link.targetColumns] : link.ownColumns
  return deleteSql(flavor, link.table, cols.map((c) => ({ column: c.name, isNull: false })))
}

/**
 * Rows whose key columns equal one of `n` keys: `col IN (?, ?, …)` for one
 * column, `(a = ? AND b = ?) OR (…)` for several; `col = ?` when `n` is 1.
 */
function keysInClause(flavor: SqlFlavor, p: Placeholders, columns: readonly string[], n: number, alias: string): string {
  const col = (c: string): string => `${alias}.${flavor.quoteId(c)}`
  if (columns.length === 1) {
    if (n === 1) return `${col(columns[0]!)} = ${p.next()}`
    const marks: string[] = []
    for (let i = 0; i < n; i++) marks.push(p.next())
    return `${col(columns[0]!)} IN (${marks.join(', ')})`
  }
  const groups: string[] = []
  for (let i = 0; i < n; i++) groups.push(`(${columns.map((c) => `${col(c)} = ${p.next()}`).join(' AND ')})`)
  return n === 1 ? groups[0]! : `(${groups.join(' OR ')})`
}

/**
 * `SELECT <entity columns> FROM t WHERE t.k IN (?, …)`: the rows of `n` keys
 * (a primary key, or a foreign key for a batch of collections).
 * Bound values: the keys' column values key after key, then the discriminator values.
 */
export function selectByKeysSql(flavor: SqlFlavor, entity: EntityInfo, keyColumns: readonly string[], n: number, options: { discriminatorValues?: readonly string[] | undefined } = {}): string {
  const key = `keys:${keyColumns.join(',')}:${n}:${options.discriminatorValues?.length ?? -1}`
  return memo(flavor, entity, key, () => buildSelectByKeys(flavor, entity, keyColumns, n, options.discriminatorValues))
}

/**
 * The commonest read of all, one row by primary key: `selectByKeysSql` for
 * one key, memoized per flavor and entity without building a key string
 * (that string cost more than the rest of a cached read by key).
 */
export function selectByPkSql(flavor: SqlFlavor, entity: EntityInfo, discriminatorValues: readonly string[] | undefined): string {
  const table = entityMemo(flavor, entity)
  const cached = table.onePk
  if (cached !== undefined && cached.discriminatorValues === discriminatorValues) return cached.sql
  const sql = selectByKeysSql(flavor, entity, pkColumnsOf(entity).names, 1, { discriminatorValues })
  table.onePk = { discriminatorValues, sql }
  return sql
}

function buildSelectByKeys(flavor: SqlFlavor, entity: EntityInfo, keyColumns: readonly string[], n: number, discriminatorValues: readonly string[] | undefined): string {
  const p = new Placeholders(flavor)
  const alias = flavor.quoteId('t')
  const sql = `SELECT ${entitySelectList(flavor, entity, alias)} FROM ${flavor.quoteId(entity.root.table)} ${alias} WHERE ${keysInClause(flavor, p, keyColumns, n, alias)}`
  return sql + discriminatorTest(flavor, entity, p, alias, discriminatorValues)
}

/**
 * Many-to-many for `n` owners at once: the owner's link columns, then the target row.
 * `SELECT l.oc, <target columns> FROM target t JOIN link l ON l.tc = t.pk WHERE l.oc IN (?, …)`
 */
export function selectThroughLinkByOwnersSql(flavor: SqlFlavor, attr: AttrInfo, n: number): string {
  const link = attr.link!
  const target = attr.target!
  const p = new Placeholders(flavor)
  const t = flavor.quoteId('t')
  const l = flavor.quoteId('l')
  const targetPk = pkColumnsOf(target).columns
  const on = link.targetColumns.map((c, i) => `${l}.${flavor.quoteId(c.name)} = ${t}.${flavor.quoteId(targetPk[i]!.name)}`).join(' AND ')
  const own = link.ownColumns.map((c) => c.name)
  const list = `${own.map((c) => `${l}.${flavor.quoteId(c)}`).join(', ')}, ${entitySelectList(flavor, target, t)}`
  return `SELECT ${list} FROM ${flavor.quoteId(target.root.table)} ${t} JOIN ${flavor.quoteId(link.table)} ${l} ON ${on} WHERE ${keysInClause(flavor, p, own, n, l)}`
}

/** The key columns of an entity query's rows: `SELECT k.pk FROM (<query>) k` (the inner columns are unqualified names). */
export function selectKeysOfSql(flavor: SqlFlavor, innerSql: string, keyColumns: readonly string[]): string {
  const k = flavor.quoteId('k')
  return `SELECT ${keyColumns.map((c) => `${k}.${flavor.quoteId(c)}`).join(', ')} FROM (${innerSql}) ${k}`
}

/** How a database spells "insert, or update the row that has this key". */
export type UpsertStyle = 'onConflict' | 'onDuplicateKey'

/**
 * One-row upsert: `INSERT … ON CONFLICT (k) DO UPDATE SET c = excluded.c`
 * (SQLite, PostgreSQL) or `INSERT … ON DUPLICATE KEY UPDATE c = VALUES(c)`
 * (MySQL/MariaDB). With nothing to update, the key column is set to itself so
 * that the statement still succeeds on a conflict.
 */
export function upsertSql(flavor: SqlFlavor, style: UpsertStyle, table: string, columns: readonly string[], conflict: readonly string[], update: readonly string[]): string {
  const head = buildInsert(flavor, table, columns, 1, [])
  const q = (c: string): string => flavor.quoteId(c)
  const sets = update.length > 0 ? update : [conflict[0]!]
  if (style === 'onDuplicateKey') {
    const list = update.length > 0 ? sets.map((c) => `${q(c)} = VALUES(${q(c)})`) : [`${q(sets[0]!)} = ${q(sets[0]!)}`]
    return `${head} ON DUPLICATE KEY UPDATE ${list.join(', ')}`
  }
  const list = update.length > 0 ? sets.map((c) => `${q(c)} = excluded.${q(c)}`) : [`${q(sets[0]!)} = excluded.${q(sets[0]!)}`]
  return `${head} ON CONFLICT (${conflict.map(q).join(', ')}) DO UPDATE SET ${list.join(', ')}`
}
