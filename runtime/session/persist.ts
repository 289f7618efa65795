/**
 * The persister: the SQL for one object or one link row. INSERT sends every
 * known column and reads back a generated key; UPDATE sends the changed
 * columns and, with optimistic checks on, tests in its WHERE clause that the
 * attributes this session read still hold the values read; DELETE does the
 * same. A statement that matches no row is an OptimisticCheckError.
 * Objects whose UPDATEs have one shape (entity, columns set, columns checked
 * and which of those were null) share one statement per chunk, the checks
 * still row by row, unless they set a unique column; see `updateObjects`.
 */
import { OptimisticCheckError, OrmError } from '../../compiler/errors.js'
import { batchCheckExact, batchUpdateSql, deleteSql, insertSql, linkDeleteSql, linkInsertSql, rollbackToSavepointSql, savepointSql, updateSql, type BatchUpdateShape } from '../../compiler/dml.js'
import { pkColumnsOf, type ColumnInfo } from '../../compiler/schema.js'
import type { QueryResult } from '../../dialects/dialect.js'
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import { stateOf, type HasState } from '../entity/state.js'
import { objectLabel } from '../entity/objects.js'
import { keyValues, pushAttrParams, pushAttrTests, pushColumnParams, pushDiscriminator, type TestsOut } from '../query/load.js'
import { keyOf, pkValues } from './identity-map.js'
import type { LinkChange, SessionDb } from './session-db.js'

/** Types whose equality a WHERE clause can test exactly on every dialect. */
const CHECKABLE = new Set(['string', 'int', 'bigint', 'boolean', 'date', 'dateonly', 'decimal', 'uuid', 'enum'])

function checkable(attr: AttrMeta): boolean {
  if (attr.volatile || attr.kind === 'primaryKey') return false
  if (attr.relation === 'toOne') return true
  return attr.relation === 'none' && CHECKABLE.has(attr.type!)
}

/**
 * The bound values of an INSERT of one object (references in `nullRefs` sent
 * as null), and its columns into `columns` when given (the rows of a
 * multi-row INSERT share the first row's).
 */
function insertValues(sdb: SessionDb, obj: HasState, nullRefs: ReadonlySet<AttrMeta> | null, columns: ColumnInfo[] | null): unknown[] {
  const s = stateOf(obj)
  const meta = s.meta
  const dialect = sdb.db.dialect
  const values: unknown[] = []
  for (const attr of meta.slots) {
    if (attr.columns.length === 0 || !s.isLoaded(attr.index)) continue
    pushAttrParams(dialect, attr, nullRefs !== null && nullRefs.has(attr) ? null : s.values[attr.index], values, columns)
  }
  pushDiscriminator(meta, values, columns)
  return values
}

/** The database-generated key an insert must read back, if any. */
function autoKey(obj: HasState): AttrMeta | null {
  const s = stateOf(obj)
  const pk = s.meta.pk
  return pk.length === 1 && pk[0]!.auto && !s.isLoaded(pk[0]!.index) ? pk[0]! : null
}

/** After the INSERT: the generated key (if any), loaded state, and database values for later checks. */
function inserted(sdb: SessionDb, obj: HasState, nullRefs: ReadonlySet<AttrMeta> | null, key: AttrMeta | null, rawId: unknown): void {
  const s = stateOf(obj)
  if (key !== null) {
    const id = sdb.db.dialect.fromDb(rawId, key.type!)
    s.setStored(key.index, id)
    sdb.identity.add(obj, keyOf([id]))
  }
  s.status = 'loaded'
  // a new object's values are what the INSERT sent (they share the database copy), except references sent as null
  if (nullRefs !== null) for (const attr of nullRefs) s.setWritten(attr.index, null)
  s.clearDirty()
}

/** Write through `sdb`: `sole` when the flush certified this is its only write (see `SessionDb.executeSoleWrite`). */
function write(sdb: SessionDb, sql: string, params: readonly unknown[], sole: boolean): Promise<QueryResult> {
  return sole ? sdb.executeSoleWrite(sql, params) : sdb.execute(sql, params, true)
}

export async function insertObject(sdb: SessionDb, obj: HasState, nullRefs: ReadonlySet<AttrMeta> | null, sole: boolean): Promise<void> {
  const dialect = sdb.db.dialect
  const columns: ColumnInfo[] = []
  const values = insertValues(sdb, obj, nullRefs, columns)
  const key = autoKey(obj)
  const returning = key !== null && !dialect.caps.insertId ? key.columns.map((c) => c.name) : []
  const sql = insertSql(dialect.flavor, stateOf(obj).meta.root, columns.map((c) => c.name), 1, returning)
  const result = await write(sdb, sql, values, sole)
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
export async function insertObjects(sdb: SessionDb, objs: readonly HasState[], sole: boolean): Promise<void> {
  const dialect = sdb.db.dialect
  const firstColumns: ColumnInfo[] = []
  const rows = objs.map((o, i) => insertValues(sdb, o, null, i === 0 ? firstColumns : null))
  const columns = firstColumns.map((c) => c.name)
  const key = autoKey(objs[0]!)
  const returning = key !== null && dialect.flavor.caps.returning ? key.columns.map((c) => c.name) : []
  const root = stateOf(objs[0]!).meta.root
  const ranges = statementRanges(rows, dialect.flavor.caps.maxParams)
  for (const [start, end] of ranges) {
    const count = end - start
    const values: unknown[] = []
    for (let r = start; r < end; r++) for (const v of rows[r]!) values.push(v)
    const result = await write(sdb, insertSql(dialect.flavor, root, columns, count, returning), values, sole && ranges.length === 1)
    const ids = key === null ? [] : returning.length > 0 ? result.rows.map((r) => r[0]).sort(ascending) : Array.from({ length: count }, (_, i) => addId(result.insertId, i))
    if (key !== null && ids.length !== count) {
      throw new OrmError(`inserting ${count} ${stateOf(objs[0]!).meta.name} rows returned ${ids.length} keys`)
    }
    for (let r = start; r < end; r++) inserted(sdb, objs[r]!, null, key, ids[r - start])
  }
}

/** Bytes of bound values per statement (well under MySQL's smallest usual max_allowed_packet). */
const MAX_BYTES_PER_INSERT = 4 * 1024 * 1024

function approximateBytes(values: readonly unknown[]): number {
  let n = 0
  for (const v of values) n += typeof v === 'string' ? v.length * 3 : v instanceof Uint8Array ? v.length : 8
  return n
}

/** Split rows into statements within the row, parameter and byte limits ([start, end) index pairs). */
export function statementRanges(rows: readonly (readonly unknown[])[], maxParams: number): [number, number][] {
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
interface WhereTests extends TestsOut {
  /** The column of each test, in order (the primary key's first). */
  readonly columns: ColumnInfo[]
  readonly checked: AttrMeta[]
}

function whereFor(sdb: SessionDb, obj: HasState, optimistic: boolean): WhereTests {
  const s = stateOf(obj)
  const dialect = sdb.db.dialect
  const where: WhereTests = { tests: [], columns: [], params: [], checked: [] }
  for (const p of s.meta.pk) pushAttrTests(dialect, p, s.values[p.index], where)
  if (optimistic) {
    for (const attr of s.meta.slots) {
      if (!s.wasRead(attr.index) || !s.isLoaded(attr.index) || !checkable(attr)) continue
      pushAttrTests(dialect, attr, s.dbValue(attr.index), where)
      where.checked.push(attr)
    }
  }
  return where
}

function optimisticError(obj: HasState, checked: readonly AttrMeta[], verb: string): OptimisticCheckError {
  const what = checked.length > 0 ? ` (one of ${checked.map((a) => a.name).join(', ')} changed, or the row was deleted)` : ' (the row was deleted)'
  return new OptimisticCheckError(`cannot ${verb} ${objectLabel(obj)}: the row changed in another transaction since this session read it${what}`)
}

/** One object's UPDATE: the attributes changed, the columns set and their values, the WHERE tests. */
interface UpdatePlan {
  readonly obj: HasState
  readonly changed: AttrMeta[]
  readonly set: ColumnInfo[]
  readonly setValues: unknown[]
  readonly where: WhereTests
}

/** The UPDATE an object needs, or null when nothing changed. */
function planUpdate(sdb: SessionDb, obj: HasState, optimistic: boolean): UpdatePlan | null {
  const s = stateOf(obj)
  if (!s.anyDirty) return null
  const dialect = sdb.db.dialect
  const changed: AttrMeta[] = []
  const set: ColumnInfo[] = []
  const setValues: unknown[] = []
  for (const i of s.dirtySlots()) {
    const attr = s.meta.slots[i]!
    if (attr.columns.length === 0) continue
    changed.push(attr)
    pushAttrParams(dialect, attr, s.values[attr.index], setValues, set)
  }
  const where = set.length > 0 ? whereFor(sdb, obj, optimistic) : { tests: [], columns: [], params: [], checked: [] }
  return { obj, changed, set, setValues, where }
}

/** After a successful UPDATE: the values written are the database's now. */
function updated(plan: UpdatePlan): void {
  const s = stateOf(plan.obj)
  for (const attr of plan.changed) s.setWritten(attr.index, s.values[attr.index])
  s.clearDirty()
}

/** Today's single-row UPDATE of one planned object. */
async function updateOne(sdb: SessionDb, plan: UpdatePlan, sole = false): Promise<void> {
  if (plan.set.length > 0) {
    const { tests, params, checked } = plan.where
    const sql = updateSql(sdb.db.dialect.flavor, stateOf(plan.obj).meta.root.table, plan.set.map((c) => c.name), tests)
    const result = await write(sdb, sql, [...plan.setValues, ...params], sole)
    if (result.affected === 0) throw optimisticError(plan.obj, checked, 'update')
  }
  updated(plan)
}

/** What makes two planned UPDATEs share a statement: table, columns set, columns tested and which tests are IS NULL. */
function shapeKey(plan: UpdatePlan): string {
  let key = stateOf(plan.obj).meta.root.table
  for (const c of plan.set) key += `\u0000${c.name}`
  key += '\u0001'
  for (const t of plan.where.tests) key += t.isNull ? `\u0000${t.column}~` : `\u0000${t.column}`
  return key
}

/** Whether two plans have one `shapeKey`, compared without building it. */
function sameShape(a: UpdatePlan, b: UpdatePlan): boolean {
  if (stateOf(a.obj).meta.root !== stateOf(b.obj).meta.root || a.set.length !== b.set.length || a.where.tests.length !== b.where.tests.length) return false
  for (let i = 0; i < a.set.length; i++) if (a.set[i]!.name !== b.set[i]!.name) return false
  for (let i = 0; i < a.where.tests.length; i++) {
    const ta = a.where.tests[i]!
    const tb = b.where.tests[i]!
    if (ta.column !== tb.column || ta.isNull !== tb.isNull) return false
  }
  return true
}

/** The shared shape of a group, for the batched builder (keys are the first tests). */
function batchShape(plan: UpdatePlan): BatchUpdateShape {
  const pkColumns = pkColumnsOf(stateOf(plan.obj).meta).columns.length
  const { tests, columns } = plan.where
  return {
    table: stateOf(plan.obj).meta.root.table,
    keys: columns.slice(0, pkColumns),
    set: plan.set,
    checks: columns.slice(pkColumns).map((column, i) => ({ column, isNull: tests[pkColumns + i]!.isNull })),
  }
}

/**
 * Whether a group of this shape can share a statement: the flavor can batch,
 * the primary key is scalar columns (read back by RETURNING to tell which rows
 * matched), and every check compares exactly as the single-row `col = ?` does.
 */
function batchable(sdb: SessionDb, plan: UpdatePlan, shape: BatchUpdateShape): boolean {
  const flavor = sdb.db.dialect.flavor
  if (flavor.caps.batchUpdate === null) return false
  const meta = stateOf(plan.obj).meta
  if (!meta.pk.every((a) => a.relation === 'none' && a.columns.length === 1)) return false
  if (shape.set.some((c) => uniqueColumnsOf(meta).has(c.name))) return false
  return shape.checks.every((c) => c.isNull || batchCheckExact(flavor, c.column))
}

/**
 * Columns under a unique constraint of the entity's table. An UPDATE that
 * sets one stays row by row, in the order the objects changed: one object
 * may free a value that the next one takes, and a single statement would
 * check the constraint in whatever order it meets the rows.
 */
function uniqueColumnsOf(meta: EntityMeta): ReadonlySet<string> {
  let columns = uniqueColumns.get(meta)
  if (columns === undefined) {
    columns = new Set(meta.root.indexes.filter((i) => i.unique).flatMap((i) => i.columns))
    uniqueColumns.set(meta, columns)
  }
  return columns
}

const uniqueColumns = new WeakMap<EntityMeta, ReadonlySet<string>>()

/** The bound values of one row of a batched UPDATE: key, new values, non-null values read. */
function batchRow(plan: UpdatePlan, keyCount: number): unknown[] {
  const { params } = plan.where
  const row: unknown[] = []
  for (let i = 0; i < keyCount; i++) row.push(params[i])
  for (const v of plan.setValues) row.push(v)
  for (let i = keyCount; i < params.length; i++) row.push(params[i])
  return row
}

/** The key a RETURNING row names, in identity-map form. */
function returnedKey(sdb: SessionDb, obj: HasState, row: readonly unknown[]): unknown {
  return keyOf(stateOf(obj).meta.pk.map((a, i) => sdb.db.dialect.fromDb(row[i], a.type!)))
}

/** PostgreSQL, SQLite: one statement; a planned row its RETURNING does not name failed its checks. */
async function updateChunkReturning(sdb: SessionDb, shape: BatchUpdateShape, chunk: readonly UpdatePlan[], rows: readonly unknown[][]): Promise<void> {
  const result = await sdb.execute(batchUpdateSql(sdb.db.dialect.flavor, stateOf(chunk[0]!.obj).meta.root, shape, chunk.length), rows.flat(), true)
  if (result.rows.length !== chunk.length) {
    const matched = new Set(result.rows.map((r) => returnedKey(sdb, chunk[0]!.obj, r)))
    const failed = chunk.find((p) => !matched.has(keyOf(pkValues(p.obj)))) ?? chunk[0]!
    throw optimisticError(failed.obj, failed.where.checked, 'update')
  }
  chunk.forEach(updated)
}

const BATCH_SAVEPOINT = 'pinto_batch_update'

/**
 * MySQL/MariaDB: one statement inside a savepoint; the affected count is the
 * rows matched (mysql2 connects with CLIENT_FOUND_ROWS). Short of the chunk,
 * the statement is undone and the rows are sent one by one, so that the
 * OptimisticCheckError names the object whose checks failed, as it does today.
 */
async function updateChunkCounted(sdb: SessionDb, shape: BatchUpdateShape, chunk: readonly UpdatePlan[], rows: readonly unknown[][]): Promise<void> {
  const flavor = sdb.db.dialect.flavor
  await sdb.execute(savepointSql(flavor, BATCH_SAVEPOINT), [], true)
  const result = await sdb.execute(batchUpdateSql(flavor, stateOf(chunk[0]!.obj).meta.root, shape, chunk.length), rows.flat(), true)
  if (result.affected === chunk.length) {
    chunk.forEach(updated)
    return
  }
  await sdb.execute(rollbackToSavepointSql(flavor, BATCH_SAVEPOINT), [], true)
  for (const plan of chunk) await updateOne(sdb, plan)
}

/** A group of one shape: one single-row UPDATE per object, or batched statements of at most the flavor's parameters. */
async function updateGroup(sdb: SessionDb, group: readonly UpdatePlan[]): Promise<void> {
  const shape = batchShape(group[0]!)
  if (group.length === 1 || !batchable(sdb, group[0]!, shape)) {
    for (const plan of group) await updateOne(sdb, plan)
    return
  }
  const flavor = sdb.db.dialect.flavor
  const rows = group.map((p) => batchRow(p, shape.keys.length))
  const send = flavor.caps.batchUpdate === 'join-union' ? updateChunkCounted : updateChunkReturning
  for (const [start, end] of statementRanges(rows, flavor.caps.maxParams)) {
    const chunk = group.slice(start, end)
    if (chunk.length === 1) await updateOne(sdb, chunk[0]!)
    else await send(sdb, shape, chunk, rows.slice(start, end))
  }
}

/**
 * The UPDATEs of many objects, grouped by shape (`shapeKey`): each group in
 * the order its first object came, a group of one as today's single-row
 * UPDATE, a larger one as batched statements that test each row's key and
 * checks. An object with nothing to write only has its state settled.
 */
export async function updateObjects(sdb: SessionDb, objs: readonly HasState[], optimistic: boolean, alone: boolean): Promise<void> {
  const groups = new Map<string, UpdatePlan[]>()
  let last: { plan: UpdatePlan; group: UpdatePlan[] } | undefined
  for (const obj of objs) {
    const plan = planUpdate(sdb, obj, optimistic)
    if (plan === null) continue
    if (plan.set.length === 0) {
      updated(plan)
      continue
    }
    // objects changed together usually share the previous one's shape: no key to build then
    if (last !== undefined && sameShape(plan, last.plan)) {
      last.group.push(plan)
      continue
    }
    const key = shapeKey(plan)
    let group = groups.get(key)
    if (group === undefined) groups.set(key, (group = []))
    group.push(plan)
    last = { plan, group }
  }
  // a single-row UPDATE is all or nothing, so it may run alone; a batched one may fail its checks after writing some rows
  const only = groups.size === 1 ? groups.values().next().value! : null
  if (alone && only !== null && only.length === 1) return updateOne(sdb, only[0]!, true)
  for (const group of groups.values()) await updateGroup(sdb, group)
}

export async function deleteObject(sdb: SessionDb, obj: HasState, optimistic: boolean): Promise<void> {
  const s = stateOf(obj)
  const { tests, params, checked } = whereFor(sdb, obj, optimistic)
  const result = await sdb.execute(deleteSql(sdb.db.dialect.flavor, s.meta.root.table, tests), params, true)
  if (result.affected === 0) throw optimisticError(obj, checked, 'delete')
  s.status = 'gone'
}

function linkParams(sdb: SessionDb, change: LinkChange): unknown[] {
  const link = change.attr.link!
  const dialect = sdb.db.dialect
  const params = pushColumnParams(dialect, link.ownColumns, keyValues(change.owner), [])
  return pushColumnParams(dialect, link.targetColumns, keyValues(change.target), params)
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
  await sdb.execute(linkDeleteSql(dialect.flavor, attr, false), pushColumnParams(dialect, link.ownColumns, keyValues(obj), []), true)
}
