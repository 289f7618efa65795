/**
 * The static methods of every entity class: `select`, `get`, `getOrThrow`,
 * `exists`, `getForUpdate`, and the set-based `insertMany` and `upsert`.
 * Reading by primary key looks in the session's identity map first and
 * issues no SQL for an object already loaded; misses in the same tick share
 * one SELECT.
 */
import { ObjectNotFound, OrmTypeError } from '../../compiler/errors.js'
import type { Database } from '../database.js'
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import { lambdaInput, Query } from '../query/query.js'
import { getOneByAttrs, loadObject } from '../query/load.js'
import { getByPkInTick } from '../query/tick-loads.js'
import { insertMany } from '../query/insert-many.js'
import { upsert } from '../query/upsert.js'
import { requireSession } from '../session/session.js'
import type { SessionDb } from '../session/session-db.js'
import { keyOf } from '../session/identity-map.js'
import { stateOf, isEntityObject, type HasState } from './state.js'
import { validateScalar } from './validate.js'
import { toRelated } from './access.js'
import { getBySql, selectBySql } from '../raw-sql/entity-sql.js'
import type { SqlFragment } from '../raw-sql/template.js'

type Params = Readonly<Record<string, unknown>>

type KeyValue = string | number | bigint | Date | readonly unknown[]

/** A plain row for `insertMany`/`upsert`: the constructor's argument, references also as primary keys, and an explicit `id`. */
export type InsertRow<C> = { readonly [K in keyof C]: C[K] extends object | null ? (C[K] extends readonly unknown[] ? C[K] : C[K] | KeyValue) : C[K] } & { readonly id?: number }

/** Static query methods of an entity class whose instances are `T`. */
export interface EntityStatics<T, C = unknown> {
  /** All objects, or those for which the lambda is true. */
  select(): Query<T>
  select<P extends Params = Params>(fn: (x: T, $: P) => unknown, params?: P): Query<T>
  /** By primary key, by attribute values, or by lambda: the object or null. */
  get<P extends Params = Params>(fn: (x: T, $: P) => unknown, params?: P): Promise<T | null>
  get(attrs: Partial<C>): Promise<T | null>
  get(key: string | number | bigint | Date | readonly unknown[]): Promise<T | null>
  /** Like `get`, but a missing object is an ObjectNotFound error. */
  getOrThrow<P extends Params = Params>(fn: (x: T, $: P) => unknown, params?: P): Promise<T>
  getOrThrow(attrs: Partial<C>): Promise<T>
  getOrThrow(key: string | number | bigint | Date | readonly unknown[]): Promise<T>
  exists<P extends Params = Params>(fn?: (x: T, $: P) => unknown, params?: P): Promise<boolean>
  /** By primary key with `SELECT … FOR UPDATE`; the session holds its connection from here. */
  getForUpdate(key: string | number | bigint | Date | readonly unknown[]): Promise<T | null>
  /** Objects for the rows of a raw query, through the identity map (columns matched by name). */
  selectBySql(query: SqlFragment): Promise<T[]>
  /** The one object of a raw query, or null; several rows are a MultipleObjectsFoundError. */
  getBySql(query: SqlFragment): Promise<T | null>
  /**
   * Validate plain rows, then insert them with multi-row INSERTs (no objects, no hooks); returns the count.
   * @example
   * await Person.insertMany([{ name: 'A', age: 1 }, { name: 'B', age: 2 }])
   */
  insertMany(rows: readonly InsertRow<C>[]): Promise<number>
  /**
   * Insert, or update the row with the same `conflict` key; returns the session's object for the row.
   * @example
   * const p = await Person.upsert({ email: 'a@x', name: 'A', age: 2 }, { conflict: ['email'] })
   */
  upsert(values: InsertRow<C>, options: { readonly conflict: readonly (keyof InsertRow<C> & string)[] }): Promise<T>
}

export function baseQuery<T>(db: Database, meta: EntityMeta): Query<T> {
  return new Query<T>(db, { sources: [meta.name], ops: [], terminal: { kind: 'rows' } })
}

/** `Entity.select(fn, params)`: the filtered query built at once (the commonest query of all). */
function filteredQuery<T>(db: Database, meta: EntityMeta, fn: unknown, params: Params | undefined): Query<T> {
  return new Query<T>(db, { sources: [meta.name], ops: [{ op: 'filter', lambda: lambdaInput(fn, params, 'filter') }], terminal: { kind: 'rows' } })
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isEntityObject(value) &&
    !(value instanceof Date) && !(value instanceof Uint8Array)
}

/**
 * `Entity.get(key)`: the session's object when it has it (no SQL), else a
 * read by key. Not an async function: a hit or a synchronous read resolves
 * without the extra promise an async wrapper would add.
 */
function getByPk(db: Database, meta: EntityMeta, key: unknown, forUpdate: boolean): Promise<HasState | null> {
  let sdb: SessionDb
  let pk: unknown[]
  try {
    sdb = requireSession(`${meta.name}.get`).forDb(db)
    sdb.assertUsable()
    pk = validPk(sdb, meta, key)
  } catch (error) {
    return Promise.reject(error)
  }
  if (forUpdate) return getForUpdate(sdb, meta, pk)
  const cached = sdb.identity.get(meta, keyOf(pk))
  if (cached === undefined) return getByPkInTick(sdb, meta, pk)
  const s = stateOf(cached)
  if (s.status === 'deleted' || s.status === 'gone') return Promise.resolve(null)
  if (!meta.isSuperOf(s.meta) && !s.meta.isSuperOf(meta)) return Promise.resolve(null)
  if (s.status === 'loaded' || s.status === 'created') return Promise.resolve(meta.isSuperOf(s.meta) ? cached : null)
  return loadCached(meta, cached)
}

/** The key as an array of validated values (one per primary-key attribute). */
function validPk(sdb: SessionDb, meta: EntityMeta, key: unknown): unknown[] {
  if (meta.pk.length === 1) {
    const attr = meta.pk[0]!
    return [attr.relation === 'toOne' ? toRelated(sdb, attr, key) : validateScalar(attr, key)]
  }
  const values = Array.isArray(key) ? key : null
  if (values === null || values.length !== meta.pk.length) {
    throw new OrmTypeError(`${meta.name} has a composite primary key (${meta.pk.map((a) => a.name).join(', ')}): pass an array of ${meta.pk.length} values`)
  }
  // a key part that is a reference takes an object or the referenced key, as an assignment does
  return values.map((v, i) => {
    const attr = meta.pk[i]!
    return attr.relation === 'toOne' ? toRelated(sdb, attr, v) : validateScalar(attr, v)
  })
}

/** A stub the session knows by key: load it; a row that is gone is null. */
async function loadCached(meta: EntityMeta, cached: HasState): Promise<HasState | null> {
  await loadObject(cached).catch((error: unknown) => {
    if (error instanceof ObjectNotFound) return
    throw error
  })
  const s = stateOf(cached)
  return s.status === 'loaded' && meta.isSuperOf(s.meta) ? cached : null
}

async function getForUpdate(sdb: SessionDb, meta: EntityMeta, pk: unknown[]): Promise<HasState | null> {
  await sdb.flush()
  return getOneByAttrs(sdb, meta, meta.pk, pk, true)
}

async function getByAttrs(db: Database, meta: EntityMeta, attrs: Record<string, unknown>): Promise<HasState | null> {
  const sdb = requireSession(`${meta.name}.get`).forDb(db)
  sdb.assertUsable()
  const names = Object.keys(attrs)
  if (names.length === 0) throw new OrmTypeError(`${meta.name}.get({...}) needs at least one attribute`)
  const list: AttrMeta[] = names.map((name) => {
    const attr = meta.attrs.get(name)
    if (attr === undefined || attr.columns.length === 0) throw new OrmTypeError(`${meta.name} has no stored attribute '${name}'`)
    return attr
  })
  await sdb.flush()
  return getOneByAttrs(sdb, meta, list, names.map((n) => attrs[n]))
}

export function entityStatics(db: Database, meta: EntityMeta): EntityStatics<unknown> {
  const get = (key: unknown, params?: Params, forUpdate = false): Promise<unknown> => {
    if (typeof key === 'function') return baseQuery(db, meta).filter(key as () => unknown, params).get()
    if (isPlainObject(key)) return getByAttrs(db, meta, key)
    return getByPk(db, meta, key, forUpdate)
  }
  return {
    select: (fn?: unknown, params?: Params) => (fn === undefined ? baseQuery(db, meta) : filteredQuery(db, meta, fn, params)),
    get: (key: unknown, params?: Params) => get(key, params),
    getOrThrow: async (key: unknown, params?: Params) => {
      const found = await get(key, params)
      if (found === null) throw new ObjectNotFound(`${meta.name}: no object matches ${typeof key === 'function' ? 'the lambda' : JSON.stringify(key, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`)
      return found
    },
    exists: (fn?: unknown, params?: Params) => (fn === undefined ? baseQuery(db, meta) : baseQuery(db, meta).filter(fn as () => unknown, params)).exists(),
    getForUpdate: (key: unknown) => get(key, undefined, true),
    selectBySql: (query: unknown) => selectBySql(db, meta, query),
    getBySql: (query: unknown) => getBySql(db, meta, query),
    insertMany: (rows: readonly unknown[]) => insertMany(db, meta, rows),
    upsert: (values: unknown, options: { readonly conflict: readonly string[] }) => upsert(db, meta, values, options),
  } as EntityStatics<unknown>
}
