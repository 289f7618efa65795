/**
 * The persister: the SQL for one object or one link row. INSERT sends every
 * known column and reads back a generated key; UPDATE sends the changed
 * columns and, with optimistic checks on, tests in its WHERE clause that the
 * attributes this session read still hold the values read; DELETE does the
 * same. A statement that matches no row is an OptimisticCheckError.
 */
import { OptimisticCheckError, OrmError } from '../../compiler/errors.js'
import { deleteSql, insertSql, linkDeleteSql, linkInsertSql, updateSql, type ColumnTest } from '../../compiler/dml.js'
import type { ColumnInfo } from '../../compiler/schema.js'
import type { AttrMeta } from '../model/meta.js'
import { STATE, type HasState } from '../entity/state.js'
import { objectLabel } from '../entity/objects.js'
import { columnValues, keyValues } from '../query/load.js'
import { keyOf } from './identity-map.js'
import type { LinkChange, SessionDb } from './session-db.js'

/** Types whose equality a WHERE clause can test exactly on every dialect. */
const CHECKABLE = new Set(['string', 'int', 'bigint', 'boolean', 'date', 'dateonly', 'decimal', 'uuid', 'enum'])

function checkable(attr: AttrMeta): boolean {
  if (attr.volatile || attr.kind === 'primaryKey') return false
  if (attr.relation === 'toOne') return true
  return attr.relation === 'none' && CHECKABLE.has(attr.type!)
}

/** The columns and bound values of an INSERT of one object (references in `nullRefs` sent as null). */
function insertRow(sdb: SessionDb, obj: HasState, nullRefs: ReadonlySet<AttrMeta>): { columns: ColumnInfo[]; values: unknown[] } {
  const s = obj[STATE]
  const meta = s.meta
  const dialect = sdb.db.dialect
  const columns: ColumnInfo[] = []
  const values: unknown[] = []
  for (const attr of meta.slots) {
    if (attr.columns.length === 0 || s.loaded[attr.index] !== true) continue
    const vals = columnValues(attr, nullRefs.has(attr) ? null : s.values[attr.index])
    attr.columns.forEach((c, i) => {
      columns.push(c)
      values.push(dialect.toDb(vals[i], c))
    })
  }
  if (meta.root.discriminator !== null) {
    columns.push({ name: meta.root.discriminator, type: 'string', nullable: false })
    values.push(meta.name)
  }
  return { columns, values }
}

/** The database-generated key an insert must read back, if any. */
function autoKey(obj: HasState): AttrMeta | null {
  const s = obj[STATE]
  const pk = s.meta.pk
  return pk.length === 1 && pk[0]!.auto && s.loaded[pk[0]!.index] !== true ? pk[0]! : null
}

/** After the INSERT: the generated key (if any), loaded state, and database values for later checks. */
function inserted(sdb: SessionDb, obj: HasState, nullRefs: ReadonlySet<AttrMeta>, key: AttrMeta | null, rawId: unknown): void {
  const s = obj[STATE]
  if (key !== null) {
    const id = sdb.db.dialect.fromDb(rawId, key.type!)
    s.values[key.index] = id
    s.loaded[key.index] = true
    sdb.identity.add(obj, keyOf([id]))
  }
  s.status = 'loaded'
  for (const attr of s.meta.slots) {
    if (attr.columns.length > 0) s.dbValues[attr.index] = nullRefs.has(attr) ? null : s.values[attr.index]
  }
  s.dirty.clear()
}

export async function insertObject(sdb: SessionDb, obj: HasState, nullRefs: ReadonlySet<AttrMeta>): Promise<void> {
  const dialect = sdb.db.dialect
  const { columns, values } = insertRow(sdb, obj, nullRefs)
  const key = autoKey(obj)
  const returning = key !== null && !dialect.caps.insertId ? key.columns.map((c) => c.name) : []
  const sql = insertSql(dialect.flavor, obj[STATE].meta.root.table, columns.map((c) => c.name), 1, returning)
  const result = await sdb.execute(sql, values, true)
  inserted(sdb, obj, nullRefs, key, returning.length > 0 ? result.rows[0]?.[0] : result.insertId)
}

const MAX_ROWS_PER_INSERT = 1000

function ascending(a: unknown, b: unknown): number {
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0
}

/**
 * Several objects of one entity with the same columns, in multi-row INSERTs.
 * Generated keys: with RETURNING, sorted ascending (one statement draws its
 * keys in row order on SQLite and PostgreSQL); otherwise the first insert id
 * plus the row's position (MariaDB's consecutive ids for a multi-row insert).
 */
export async function insertObjects(sdb: SessionDb, objs: readonly HasState[]): Promise<void> {
  const dialect = sdb.db.dialect
  const rows = objs.map((o) => insertRow(sdb, o, new Set()))
  const columns = rows[0]!.columns.map((c) => c.name)
  const key = autoKey(objs[0]!)
  const returning = key !== null && dialect.flavor.caps.returning ? key.columns.map((c) => c.name) : []
  const table = objs[0]![STATE].meta.root.table
  for (const [start, end] of statementRanges(rows.map((r) => r.values), dialect.flavor.caps.maxParams)) {
    const chunk = objs.slice(start, end)
    const values = rows.slice(start, end).flatMap((r) => r.values)
    const result = await sdb.execute(insertSql(dialect.flavor, table, columns, chunk.length, returning), values, true)
    const ids = key === null ? [] : returning.length > 0 ? result.rows.map((r) => r[0]).sort(ascending) : chunk.map((_, i) => addId(result.insertId, i))
    if (key !== null && ids.length !== chunk.length) {
      throw new OrmError(`inserting ${chunk.length} ${objs[0]![STATE].meta.name} rows returned ${ids.length} keys`)
    }
    chunk.forEach((o, i) => inserted(sdb, o, new Set(), key, ids[i]))
  }
}

/** Bytes of bound values per statement (well under MySQL's smallest usual max_allowed_packet). */
const MAX_BYTES_PER_INSERT = 4 * 1024 * 1024

function approximateBytes(values: readonly unknown[]): number {
  let n = 0
  for (const v of values) n += typeof v === 'string' ? v.length * 3 : v instanceof Uint8Array ? v.length : 8
  return n
}

/** Split rows into statements within the row, parameter and byte limits. */
function statementRanges(rows: readonly (readonly unknown[])[], maxParams: number): [number, number][] {
  const perRow = Math.max(1, rows[0]?.length ?? 1)
  const maxRows = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(maxParams / perRow)))
  const out: [number, number][] = []
  let start = 0
  let bytes = 0
  rows.forEach((row, i) => {
    const size = approximateBytes(row)
    if (i > start && (i - start >= maxRows || bytes + size > MAX_BYTES_PER_INSERT)) {
      out.push([start, i])
      start = i
      bytes = 0
    }
    bytes += size
  })
  if (rows.length > start) out.push([start, rows.length])
  return out
}

function addId(first: number | bigint | null, offset: number): number | bigint {
  if (first === null) throw new OrmError('the database reported no insert id for a multi-row INSERT')
  return typeof first === 'bigint' ? first + BigInt(offset) : first + offset
}

/** WHERE tests for an object: its primary key, then (optimistic) the checked attributes with the values read. */
function whereFor(sdb: SessionDb, obj: HasState, optimistic: boolean): { tests: ColumnTest[]; params: unknown[]; checked: AttrMeta[] } {
  const s = obj[STATE]
  const dialect = sdb.db.dialect
  const tests: ColumnTest[] = []
  const params: unknown[] = []
  const checked: AttrMeta[] = []
  const add = (attr: AttrMeta, value: unknown): void => {
    const vals = columnValues(attr, value)
    attr.columns.forEach((c, i) => {
      const v = vals[i]
      const isNull = v === null || v === undefined
      tests.push({ column: c.name, isNull })
      if (!isNull) params.push(dialect.toDb(v, c))
    })
  }
  for (const p of s.meta.pk) add(p, s.values[p.index])
  if (optimistic) {
    for (const attr of s.meta.slots) {
      if (s.read[attr.index] !== true || s.loaded[attr.index] !== true || !checkable(attr)) continue
      add(attr, s.dbValues[attr.index])
      checked.push(attr)
    }
  }
  return { tests, params, checked }
}

function optimisticError(obj: HasState, checked: readonly AttrMeta[], verb: string): OptimisticCheckError {
  const what = checked.length > 0 ? ` (one of ${checked.map((a) => a.name).join(', ')} changed, or the row was deleted)` : ' (the row was deleted)'
  return new OptimisticCheckError(`cannot ${verb} ${objectLabel(obj)}: the row changed in another transaction since this session read it${what}`)
}

export async function updateObject(sdb: SessionDb, obj: HasState, optimistic: boolean): Promise<void> {
  const s = obj[STATE]
  if (s.dirty.size === 0) return
  const dialect = sdb.db.dialect
  const setColumns: string[] = []
  const setValues: unknown[] = []
  const changed = [...s.dirty].map((i) => s.meta.slots[i]!).filter((a) => a.columns.length > 0)
  for (const attr of changed) {
    const vals = columnValues(attr, s.values[attr.index])
    attr.columns.forEach((c, i) => {
      setColumns.push(c.name)
      setValues.push(dialect.toDb(vals[i], c))
    })
  }
  if (setColumns.length > 0) {
    const { tests, params, checked } = whereFor(sdb, obj, optimistic)
    const result = await sdb.execute(updateSql(dialect.flavor, s.meta.root.table, setColumns, tests), [...setValues, ...params], true)
    if (result.affected === 0) throw optimisticError(obj, checked, 'update')
  }
  for (const attr of changed) s.dbValues[attr.index] = s.values[attr.index]
  s.dirty.clear()
}

export async function deleteObject(sdb: SessionDb, obj: HasState, optimistic: boolean): Promise<void> {
  const s = obj[STATE]
  const { tests, params, checked } = whereFor(sdb, obj, optimistic)
  const result = await sdb.execute(deleteSql(sdb.db.dialect.flavor, s.meta.root.table, tests), params, true)
  if (result.affected === 0) throw optimisticError(obj, checked, 'delete')
  s.status = 'gone'
}

function linkParams(sdb: SessionDb, change: LinkChange): unknown[] {
  const link = change.attr.link!
  const dialect = sdb.db.dialect
  const own = keyValues(change.owner)
  const target = keyValues(change.target)
  return [...link.ownColumns.map((c, i) => dialect.toDb(own[i], c)), ...link.targetColumns.map((c, i) => dialect.toDb(target[i], c))]
}

export async function insertLink(sdb: SessionDb, change: LinkChange): Promise<void> {
  await sdb.execute(linkInsertSql(sdb.db.dialect.flavor, change.attr), linkParams(sdb, change), true)
}

export async function deleteLink(sdb: SessionDb, change: LinkChange): Promise<void> {
  await sdb.execute(linkDeleteSql(sdb.db.dialect.flavor, change.attr), linkParams(sdb, change), true)
}

/** Remove every link row of an object being deleted, on one many-to-many attribute. */
export async function deleteAllLinks(sdb: SessionDb, obj: HasState, attr: AttrMeta): Promise<void> {
  const link = attr.link!
  const dialect = sdb.db.dialect
  const own = keyValues(obj)
  await sdb.execute(linkDeleteSql(dialect.flavor, attr, false), link.ownColumns.map((c, i) => dialect.toDb(own[i], c)), true)
}
