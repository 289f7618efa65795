/**
 * Loading many objects by key in as few statements as the database allows:
 * rows by primary key, the children of many owners through their foreign
 * key (one-to-many collections, one-to-one reverses), and many-to-many
 * targets through the link table. Keys are split into statements of at most
 * the flavor's `maxParams` bound values; every row goes through the identity
 * map. The same-tick batcher, `prefetch` and set-based writes build on these.
 */
import { entityRowAttrs, selectByKeysSql, selectByPkSql, selectThroughLinkByOwnersSql } from '../../compiler/dml.js'
import { pkColumnsOf } from '../../compiler/schema.js'
import type { Dialect, QueryResult } from '../../dialects/dialect.js'
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import { hasPk, keyOf, pkValues } from '../session/identity-map.js'
import type { SessionDb } from '../session/session-db.js'
import { stateOf, type HasState } from '../entity/state.js'
import { hydrateEntity, RowReader } from './hydrate.js'
import { keyValues, pushAttrParams, pushColumnParams } from './load.js'

/** A read by primary key returns at most one row. */
const ONE_ROW = { oneRow: true } as const

/** Split `items` into groups whose bound values (`perItem` each, plus `reserve`) fit in `maxParams`. */
export function chunks<T>(items: readonly T[], perItem: number, maxParams: number, reserve = 0): T[][] {
  const size = Math.max(1, Math.floor((maxParams - reserve) / Math.max(1, perItem)))
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

function isLive(obj: HasState): boolean {
  const status = stateOf(obj).status
  return status !== 'deleted' && status !== 'gone'
}

/** Run `SELECT … WHERE key IN (…)` per chunk and hand each row's reader to `each`. */
async function selectChunks<K>(sdb: SessionDb, keys: readonly K[], perKey: number, reserve: number, build: (chunk: K[]) => { sql: string; params: unknown[] }, each: (reader: RowReader) => void): Promise<void> {
  for (const chunk of chunks(keys, perKey, sdb.db.dialect.flavor.caps.maxParams, reserve)) {
    const { sql, params } = build(chunk)
    eachRow(sdb, await sdb.execute(sql, params, false), each)
  }
}

/** Hand each row of `result` to `each` through one reader. */
export function eachRow(sdb: SessionDb, result: QueryResult, each: (reader: RowReader) => void): void {
  const reader = new RowReader([], sdb.db.dialect)
  for (const row of result.rows) {
    reader.row = row
    reader.i = 0
    each(reader)
  }
}

/**
 * The objects of `meta` with these primary keys (each an array of pk values), keyed by `keyOf(pk)`.
 * @example
 * const found = await loadRowsByPk(sdb, personMeta, [[1], [2]])   // one SELECT … WHERE id IN (?, ?)
 */
export async function loadRowsByPk(sdb: SessionDb, meta: EntityMeta, pks: readonly (readonly unknown[])[]): Promise<Map<unknown, HasState>> {
  const unique = new Map<unknown, readonly unknown[]>()
  for (const pk of pks) unique.set(keyOf(pk), pk)
  const out = new Map<unknown, HasState>()
  if (unique.size === 0) return out
  const collect = collectByPk(sdb, meta, out)
  if (unique.size === 1) {
    const { sql, params } = byPkStatement(sdb, meta, [...unique.values()])
    eachRow(sdb, await sdb.execute(sql, params, false, ONE_ROW), collect)
    return out
  }
  const discriminators = meta.discriminatorValues
  await selectChunks(sdb, [...unique.values()], pkColumnsOf(meta).columns.length, discriminators?.length ?? 0, (chunk) => byPkStatement(sdb, meta, chunk), collect)
  return out
}

/**
 * The object of `meta` with primary key `pk` (or null), read in this tick on
 * a synchronous driver; undefined when the read has to wait (no free
 * connection), so the caller takes the async way.
 */
export function loadByPkNow(sdb: SessionDb, meta: EntityMeta, pk: readonly unknown[]): HasState | null | undefined {
  const dialect = sdb.db.dialect
  const discriminators = meta.discriminatorValues
  const params = pkParams(dialect, meta, [pk], discriminators)
  const result = sdb.tryExecuteSync(selectByPkSql(dialect.flavor, meta, discriminators), params, ONE_ROW)
  if (result === undefined) return undefined
  const row = result.rows[0]
  if (row === undefined) return null
  const obj = hydrateEntity(sdb, sdb.db.schema, meta, entityRowAttrs(meta) as AttrMeta[], new RowReader(row, dialect), meta.root.discriminator !== null)
  return obj !== null && isLive(obj) && meta.isSuperOf(stateOf(obj).meta) && hasPk(obj, pk) ? obj : null
}

/** The object of `meta` with this primary key in a map `loadRowsByPk` returned, if it is a `meta`. */
export function foundIn(found: Map<unknown, HasState> | undefined, meta: EntityMeta, pk: readonly unknown[]): HasState | null {
  const obj = found?.get(keyOf(pk))
  return obj !== undefined && meta.isSuperOf(stateOf(obj).meta) ? obj : null
}

/** `SELECT … WHERE pk IN (…)` for these keys, restricted to `meta`'s discriminators. */
function byPkStatement(sdb: SessionDb, meta: EntityMeta, pks: readonly (readonly unknown[])[]): { sql: string; params: unknown[] } {
  const discriminators = meta.discriminatorValues
  const dialect = sdb.db.dialect
  const params = pkParams(dialect, meta, pks, discriminators)
  if (pks.length === 1) return { sql: selectByPkSql(dialect.flavor, meta, discriminators), params }
  return { sql: selectByKeysSql(dialect.flavor, meta, pkColumnsOf(meta).names, pks.length, { discriminatorValues: discriminators }), params }
}

/** The bound values of `pks`, then of the discriminators. */
function pkParams(dialect: Dialect, meta: EntityMeta, pks: readonly (readonly unknown[])[], discriminators: readonly string[] | undefined): unknown[] {
  const params: unknown[] = []
  for (const pk of pks) for (let i = 0; i < meta.pk.length; i++) pushAttrParams(dialect, meta.pk[i]!, pk[i], params)
  if (discriminators !== undefined) params.push(...discriminators)
  return params
}

/** A row handler that hydrates `meta` objects into `out` by key (deleted ones left out). */
function collectByPk(sdb: SessionDb, meta: EntityMeta, out: Map<unknown, HasState>): (reader: RowReader) => void {
  const rowAttrs = entityRowAttrs(meta) as AttrMeta[]
  const hasKind = meta.root.discriminator !== null
  return (reader) => {
    const obj = hydrateEntity(sdb, sdb.db.schema, meta, rowAttrs, reader, hasKind)
    if (obj !== null && isLive(obj)) out.set(keyOf(pkValues(obj)), obj)
  }
}

/**
 * Children of many owners through a to-many or one-to-one reverse `attr`
 * (the rows whose foreign key `attr.reverse` names one of the owners).
 */
export async function loadChildren(sdb: SessionDb, attr: AttrMeta, owners: readonly HasState[]): Promise<Map<HasState, HasState[]>> {
  const out = new Map<HasState, HasState[]>(owners.map((o) => [o, []]))
  if (owners.length === 0) return out
  const db = sdb.db
  const r = attr.reverse!
  const target = attr.target!
  const discriminators = target.discriminatorValues
  const rowAttrs = entityRowAttrs(target) as AttrMeta[]
  await selectChunks(sdb, [...out.keys()], r.columns.length, discriminators?.length ?? 0, (chunk) => {
    const params: unknown[] = []
    for (const owner of chunk) pushAttrParams(db.dialect, r, owner, params)
    if (discriminators !== undefined) params.push(...discriminators)
    return { sql: selectByKeysSql(db.dialect.flavor, target, r.columns.map((c) => c.name), chunk.length, { discriminatorValues: discriminators }), params }
  }, (reader) => {
    const obj = hydrateEntity(sdb, db.schema, target, rowAttrs, reader, target.root.discriminator !== null)
    if (obj === null || !isLive(obj)) return
    out.get(stateOf(obj).values[r.index] as HasState)?.push(obj)
  })
  return out
}

/** Many-to-many targets of many owners, read through the link table. */
export async function loadLinked(sdb: SessionDb, attr: AttrMeta, owners: readonly HasState[]): Promise<Map<HasState, HasState[]>> {
  const out = new Map<HasState, HasState[]>(owners.map((o) => [o, []]))
  if (owners.length === 0) return out
  const db = sdb.db
  const link = attr.link!
  const ownerMeta = attr.entity.root
  const byKey = new Map<unknown, HasState>(owners.map((o) => [keyOf(pkValues(o)), o]))
  const target = attr.target!
  const rowAttrs = entityRowAttrs(target) as AttrMeta[]
  await selectChunks(sdb, owners, link.ownColumns.length, 0, (chunk) => ({
    sql: selectThroughLinkByOwnersSql(db.dialect.flavor, attr, chunk.length),
    params: chunk.reduce((params: unknown[], owner) => pushColumnParams(db.dialect, link.ownColumns, keyValues(owner), params), []),
  }), (reader) => {
    const ownerPk = ownerMeta.pk.map((p) => reader.attr(sdb, p))
    const obj = hydrateEntity(sdb, db.schema, target, rowAttrs, reader, target.root.discriminator !== null)
    const owner = byKey.get(keyOf(ownerPk))
    if (obj !== null && owner !== undefined && isLive(obj)) out.get(owner)!.push(obj)
  })
  return out
}
