/**
 * The static methods of every entity class: `select`, `get`, `getOrThrow`,
 * `exists`, `getForUpdate`. Reading by primary key looks in the session's
 * identity map first and issues no SQL for an object already loaded.
 */
import { ObjectNotFound, OrmTypeError } from '../../compiler/errors.js'
import type { Database } from '../database.js'
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import { Query } from '../query/query.js'
import { getOneByAttrs, loadObject } from '../query/load.js'
import { requireSession } from '../session/session.js'
import { keyOf } from '../session/identity-map.js'
import { STATE, stateOf, type HasState } from './state.js'
import { validateScalar } from './validate.js'

type Params = Readonly<Record<string, unknown>>

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
}

export function baseQuery<T>(db: Database, meta: EntityMeta): Query<T> {
  return new Query<T>(db, { sources: [meta.name], ops: [], terminal: { kind: 'rows' } })
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && stateOf(value) === undefined &&
    !(value instanceof Date) && !(value instanceof Uint8Array)
}

async function getByPk(db: Database, meta: EntityMeta, key: unknown, forUpdate: boolean): Promise<HasState | null> {
  const sdb = requireSession(`${meta.name}.get`).forDb(db)
  sdb.assertUsable()
  const values = meta.pk.length === 1 ? [key] : Array.isArray(key) ? key : null
  if (values === null || values.length !== meta.pk.length) {
    throw new OrmTypeError(`${meta.name} has a composite primary key (${meta.pk.map((a) => a.name).join(', ')}): pass an array of ${meta.pk.length} values`)
  }
  const pk = values.map((v, i) => {
    const attr = meta.pk[i]!
    return attr.relation === 'toOne' ? v : validateScalar(attr, v)
  })
  const cached = sdb.identity.get(meta, keyOf(pk))
  if (cached !== undefined && !forUpdate) {
    const s = cached[STATE]
    if (s.status === 'deleted' || s.status === 'gone') return null
    if (!meta.isSuperOf(s.meta) && !s.meta.isSuperOf(meta)) return null
    if (s.status === 'loaded' || s.status === 'created') return meta.isSuperOf(s.meta) ? cached : null
    await loadObject(cached).catch((error: unknown) => {
      if (error instanceof ObjectNotFound) return
      throw error
    })
    return cached[STATE].status === 'loaded' && meta.isSuperOf(cached[STATE].meta) ? cached : null
  }
  await sdb.flush()
  return getOneByAttrs(sdb, meta, meta.pk, pk, forUpdate)
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
    select: (fn?: unknown, params?: Params) => (fn === undefined ? baseQuery(db, meta) : baseQuery(db, meta).filter(fn as () => unknown, params)),
    get: (key: unknown, params?: Params) => get(key, params),
    getOrThrow: async (key: unknown, params?: Params) => {
      const found = await get(key, params)
      if (found === null) throw new ObjectNotFound(`${meta.name}: no object matches ${typeof key === 'function' ? 'the lambda' : JSON.stringify(key, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`)
      return found
    },
    exists: (fn?: unknown, params?: Params) => (fn === undefined ? baseQuery(db, meta) : baseQuery(db, meta).filter(fn as () => unknown, params)).exists(),
    getForUpdate: (key: unknown) => get(key, undefined, true),
  } as EntityStatics<unknown>
}
