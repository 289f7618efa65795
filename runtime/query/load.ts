/**
 * Loading by key, without the translator: an object by primary key or by
 * attribute values, the rest of an object (`obj.load()`), and collections
 * (the last two join same-tick batches, see `tick-loads.ts`).
 * Each flushes pending changes first when they could change the answer,
 * builds its statement with `compiler/dml`, binds every value with its
 * column's type, and hydrates through the identity map.
 */
import { DatabaseSessionIsOver, MultipleObjectsFoundError, ObjectNotFound } from '../../compiler/errors.js'
import { entityRowAttrs, selectByColumnsSql, countLinksSql, type ColumnTest } from '../../compiler/dml.js'
import { getByPkInTick, loadCollectionInTick, loadReverseOneInTick } from './tick-loads.js'
import type { ColumnInfo } from '../../compiler/schema.js'
import type { Database } from '../database.js'
import type { Dialect } from '../../dialects/dialect.js'
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import type { SessionDb } from '../session/session-db.js'
import { stateOf, type HasState } from '../entity/state.js'
import { objectLabel } from '../entity/objects.js'
import { hydrateEntity, RowReader } from './hydrate.js'
import { eachRow } from './keys.js'

/** Column values of an attribute's value: a scalar, or a related object's primary key (flattened). */
export function columnValues(attr: AttrMeta, value: unknown, out: unknown[] = []): unknown[] {
  if (attr.relation !== 'toOne') {
    out.push(value)
    return out
  }
  if (value === null || value === undefined) {
    for (let i = 0; i < attr.columns.length; i++) out.push(null)
    return out
  }
  return keyValues(value as HasState, out)
}

/** The primary-key column values of an object, flattened (a key that is a reference contributes its target's key). */
export function keyValues(obj: HasState, out: unknown[] = []): unknown[] {
  const s = stateOf(obj)
  for (const p of s.meta.pk) columnValues(p, s.values[p.index], out)
  return out
}

/** `values` converted by the dialect for `cols`, pushed to `params` (each column to `columns` when given); returns `params`. */
export function pushColumnParams(dialect: Dialect, cols: readonly ColumnInfo[], values: readonly unknown[], params: unknown[], columns: ColumnInfo[] | null = null): unknown[] {
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!
    columns?.push(c)
    params.push(dialect.toDb(values[i], c))
  }
  return params
}

/**
 * The bound values of `attr` holding `value`, pushed to `params`: a scalar's
 * value, or a referenced object's key columns, each converted for its
 * column; each column to `columns` when given. A scalar costs no array and no
 * closure (the unit of work calls this per attribute of every row).
 */
export function pushAttrParams(dialect: Dialect, attr: AttrMeta, value: unknown, params: unknown[], columns: ColumnInfo[] | null = null): void {
  if (attr.relation !== 'toOne') {
    const c = attr.columns[0]!
    columns?.push(c)
    params.push(dialect.toDb(value, c))
    return
  }
  pushColumnParams(dialect, attr.columns, columnValues(attr, value), params, columns)
}

/** An INSERT row's discriminator after its attributes, for an entity in a hierarchy: the column (when `columns` is given) and the entity's name. */
export function pushDiscriminator(meta: EntityMeta, params: unknown[], columns: ColumnInfo[] | null = null): void {
  if (meta.root.discriminator === null) return
  columns?.push({ name: meta.root.discriminator, type: 'string', nullable: false })
  params.push(meta.name)
}

/** WHERE tests under construction: `col = ?` / `col IS NULL`, the bound values of the first kind, and (when kept) each test's column. */
export interface TestsOut {
  readonly tests: ColumnTest[]
  readonly params: unknown[]
  readonly columns?: ColumnInfo[]
}

/** The tests of `attr` holding `value`, pushed to `out`: `col = ?` per column with its converted value, `col IS NULL` for a null. */
export function pushAttrTests(dialect: Dialect, attr: AttrMeta, value: unknown, out: TestsOut): void {
  const vals = attr.relation === 'toOne' ? columnValues(attr, value) : null
  for (let i = 0; i < attr.columns.length; i++) {
    const c = attr.columns[i]!
    const v = vals === null ? value : vals[i]
    const isNull = v === null || v === undefined
    out.tests.push({ column: c.name, isNull })
    out.columns?.push(c)
    if (!isNull) out.params.push(dialect.toDb(v, c))
  }
}

/** Tests `col = ?` / `col IS NULL` and the bound values for attribute values. */
export function attrTests(db: Database, attrs: readonly AttrMeta[], values: readonly unknown[]): { tests: ColumnTest[]; params: unknown[] } {
  const out = { tests: [] as ColumnTest[], params: [] as unknown[] }
  for (let k = 0; k < attrs.length; k++) pushAttrTests(db.dialect, attrs[k]!, values[k], out)
  return out
}

/** Entities of `meta` whose attributes equal `values`. */
export async function selectByAttrs(sdb: SessionDb, meta: EntityMeta, attrs: readonly AttrMeta[], values: readonly unknown[], options: { forUpdate?: boolean; limit?: number } = {}): Promise<HasState[]> {
  const db = sdb.db
  const { tests, params } = attrTests(db, attrs, values)
  const discriminators = meta.discriminatorValues
  const sql = selectByColumnsSql(db.dialect.flavor, meta, tests, { discriminatorValues: discriminators, forUpdate: options.forUpdate === true })
  if (discriminators !== undefined) params.push(...discriminators)
  if (options.forUpdate === true) await sdb.begin()
  const result = await sdb.execute(sql, params, false)
  const rowAttrs = entityRowAttrs(meta) as AttrMeta[]
  const out: HasState[] = []
  eachRow(sdb, result, (reader) => {
    const obj = hydrateEntity(sdb, db.schema, meta, rowAttrs, reader, meta.root.discriminator !== null)
    if (obj !== null) out.push(obj)
  })
  return out
}

/** At most one entity whose attributes equal `values`; more is a MultipleObjectsFoundError. */
export async function getOneByAttrs(sdb: SessionDb, meta: EntityMeta, attrs: readonly AttrMeta[], values: readonly unknown[], forUpdate = false): Promise<HasState | null> {
  const found = await selectByAttrs(sdb, meta, attrs, values, { forUpdate })
  if (found.length > 1) throw new MultipleObjectsFoundError(`${meta.name}.get(${attrs.map((a) => a.name).join(', ')}): ${found.length} objects match; expected at most one`)
  const obj = found[0] ?? null
  if (obj !== null && !meta.isSuperOf(stateOf(obj).meta)) return null
  return obj
}

/** Load everything not yet loaded of one object, lazy attributes and one-to-one reverses included (batched with other loads of the same tick). */
export async function loadObject(obj: HasState): Promise<void> {
  const s = stateOf(obj)
  const sdb = s.session
  if (sdb === null || !sdb.session.alive) throw new DatabaseSessionIsOver(`${objectLabel(obj)}: the dbSession is over; load it again in a new dbSession`)
  sdb.assertUsable()
  const meta = s.meta
  const missing = meta.slots.some((a) => a.columns.length > 0 && !s.isLoaded(a.index))
  if (missing || s.status === 'unloaded') {
    const found = await getByPkInTick(sdb, meta, meta.pk.map((p) => s.values[p.index]))
    if (found === null) throw new ObjectNotFound(`${objectLabel(obj)} does not exist in the database`)
    await loadLazy(sdb, obj)
  }
  const reverses = meta.slots.filter((attr) => attr.relation === 'toOneReverse' && !s.isLoaded(attr.index))
  await Promise.all(reverses.map((attr) => loadReverseOneInTick(sdb, obj, attr)))
}

async function loadLazy(sdb: SessionDb, obj: HasState): Promise<void> {
  const s = stateOf(obj)
  const lazy = s.meta.slots.filter((a) => a.lazy && a.columns.length > 0 && !s.isLoaded(a.index))
  if (lazy.length === 0) return
  const db = sdb.db
  const flavor = db.dialect.flavor
  const { tests, params } = attrTests(db, s.meta.pk, s.meta.pk.map((p) => s.values[p.index]))
  const cols = lazy.flatMap((a) => a.columns.map((c) => flavor.quoteId(c.name))).join(', ')
  const where = tests.map((t, i) => `${flavor.quoteId(t.column)} = ${flavor.placeholder(i + 1)}`).join(' AND ')
  const result = await sdb.execute(`SELECT ${cols} FROM ${flavor.quoteId(s.meta.root.table)} WHERE ${where}`, params, false)
  const row = result.rows[0]
  if (row === undefined) return
  const reader = new RowReader(row, db.dialect)
  for (const attr of lazy) {
    const v = reader.attr(sdb, attr)
    s.setStored(attr.index, v)
  }
}

/** The objects of a collection, read after a flush (batched with the same collection of other owners in this tick). */
export async function loadCollection(owner: HasState, attr: AttrMeta): Promise<HasState[]> {
  const sdb = stateOf(owner).session
  if (sdb === null || !sdb.session.alive) throw new DatabaseSessionIsOver(`${objectLabel(owner)}.${attr.name}: the dbSession is over`)
  sdb.assertUsable()
  return loadCollectionInTick(sdb, owner, attr)
}

/** COUNT(*) of a collection in the database, after a flush. */
export async function countCollection(owner: HasState, attr: AttrMeta): Promise<number> {
  const sdb = stateOf(owner).session
  if (sdb === null || !sdb.session.alive) throw new DatabaseSessionIsOver(`${objectLabel(owner)}.${attr.name}: the dbSession is over`)
  await sdb.flush()
  const db = sdb.db
  let sql: string
  let params: unknown[]
  if (attr.relation === 'toMany') {
    const { tests, params: p } = attrTests(db, [attr.reverse!], [owner])
    sql = selectByColumnsSql(db.dialect.flavor, attr.target!, tests, { count: true })
    params = p
  } else {
    sql = countLinksSql(db.dialect.flavor, attr)
    params = pushColumnParams(db.dialect, attr.link!.ownColumns, keyValues(owner), [])
  }
  const result = await sdb.execute(sql, params, false)
  return Number(result.rows[0]?.[0] ?? 0)
}
