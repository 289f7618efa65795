/**
 * Making entity objects: new ones from `new Person({...})`, stubs that know
 * only their primary key (a reference read from a foreign key), and loaded
 * ones from result rows. Every object of a session is registered in its
 * identity map, so one row is one object.
 */
import { OrmTypeError, ValueError } from '../../compiler/errors.js'
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import { keyOf } from '../session/identity-map.js'
import type { SessionDb } from '../session/session-db.js'
import { attachState, isEntityObject, ObjectState, replaceState, stateOf, type HasState } from './state.js'

export function objectLabel(obj: HasState): string {
  const s = stateOf(obj)
  const pk = s.meta.pk.map((a) => {
    const v = s.values[a.index]
    if (v === undefined) return 'new'
    if (isEntityObject(v)) return objectLabel(v as HasState)
    return typeof v === 'string' ? `'${v}'` : String(v)
  })
  return `${s.meta.name}[${pk.join(', ')}]`
}

/** A fresh object of `meta`'s class with empty state (no constructor call). */
export function blankObject(meta: EntityMeta, sdb: SessionDb | null, status: ObjectState['status']): HasState {
  const cls = meta.cls as { prototype: object }
  const obj = Object.create(cls.prototype) as HasState
  attachState(obj, new ObjectState(meta, sdb, status))
  return obj
}

/** The session's object for a primary key: the cached one, or a new stub that knows only its key. */
export function stubFor(sdb: SessionDb, meta: EntityMeta, pk: readonly unknown[]): HasState {
  const key = keyOf(pk)
  const table = sdb.identity.table(meta)
  const existing = table.get(key)
  if (existing !== undefined) return existing
  const obj = blankObject(meta, sdb, 'unloaded')
  const s = stateOf(obj)
  for (let i = 0; i < meta.pk.length; i++) {
    s.setStored(meta.pk[i]!.index, pk[i])
  }
  table.set(key, obj)
  return obj
}

/** A row said the object is of a subclass: switch its class and widen its slots. */
export function specialise(obj: HasState, meta: EntityMeta): void {
  const s = stateOf(obj)
  if (s.meta === meta || !s.meta.isSuperOf(meta)) return
  Object.setPrototypeOf(obj, (meta.cls as { prototype: object }).prototype)
  const grown = new ObjectState(meta, s.session, s.status, s.uid)
  grown.copySlotsFrom(s)
  replaceState(obj, grown)
}

/** What `defaultValue` and `givenOrDefault` return for an attribute the database fills in (an auto key, a sqlDefault). */
export const FROM_DATABASE: unique symbol = Symbol('pinto.fromDatabase')

/** The value an attribute takes when `new` leaves it out, or FROM_DATABASE. */
export function defaultValue(attr: AttrMeta): unknown {
  const d = attr.options.default
  if (d !== undefined) return typeof d === 'function' ? (d as () => unknown)() : d
  if (attr.auto || attr.options.sqlDefault !== undefined) return FROM_DATABASE
  if (attr.nullable) return null
  throw new ValueError(`${attr.qualifiedName} is required: no value was given`)
}

/** The value `init` gives an attribute, else its default; FROM_DATABASE when the database will supply it. */
export function givenOrDefault(attr: AttrMeta, init: Record<string, unknown>): unknown {
  const given = Object.hasOwn(init, attr.name) ? init[attr.name] : undefined
  return given !== undefined ? given : defaultValue(attr)
}

/** Reject keys that are not settable attributes of the entity. */
export function checkInitKeys(meta: EntityMeta, init: unknown): Record<string, unknown> {
  if (typeof init !== 'object' || init === null || Array.isArray(init)) {
    throw new OrmTypeError(`new ${meta.name}(...) takes an object of attribute values`)
  }
  for (const key of Object.keys(init)) {
    const attr = meta.attrs.get(key)
    if (attr === undefined) throw new OrmTypeError(`${meta.name} has no attribute '${key}'`)
    if (attr.kind === 'computed') throw new OrmTypeError(`${meta.name}.${key} is computed and cannot be set`)
  }
  return init as Record<string, unknown>
}
