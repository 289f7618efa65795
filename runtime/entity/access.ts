/**
 * Reading and writing one attribute of an entity object: the getters and
 * setters installed on every entity prototype call these. A read marks the
 * attribute in the session's read set (for optimistic checks); a write
 * validates first, then records the change for the unit of work and keeps
 * the other side of a relation in step in memory.
 */
import { aOrAn, DatabaseSessionIsOver, OrmError, OrmTypeError, TransactionError, UnloadedError, ValueError } from '../../compiler/errors.js'
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import { currentSession } from '../session/session.js'
import { keyOf } from '../session/identity-map.js'
import type { SessionDb } from '../session/session-db.js'
import { unproxy, stateOf, stateIfEntity, type HasState } from './state.js'
import { validateScalar } from './validate.js'
import { objectLabel, stubFor } from './objects.js'
import { syncReverse, useWriter } from './relations.js'

export function unloadedError(obj: HasState, attr: AttrMeta): UnloadedError {
  const label = objectLabel(obj)
  const variable = attr.entity.name.charAt(0).toLowerCase() + attr.entity.name.slice(1)
  return new UnloadedError(`${label}.${attr.name} is not loaded: \`await ${variable}.load()\` first, or load it with the query (\`.prefetch(...)\`)`)
}

export function readAttr(obj: HasState, attr: AttrMeta): unknown {
  const s = stateOf(obj)
  const i = attr.index
  if (s.isLoaded(i)) {
    s.markRead(i)
    return s.values[i]
  }
  if (s.status === 'created' && attr.auto) return undefined
  if (s.session !== null && !s.session.session.alive) {
    throw new DatabaseSessionIsOver(`${objectLabel(obj)}.${attr.name} was not loaded during its dbSession, and the session is over: load it in a new dbSession`)
  }
  throw unloadedError(obj, attr)
}

/** The session an object may be changed in now, or an error saying why not. */
export function writableSession(obj: HasState): SessionDb {
  const s = stateOf(obj)
  const sdb = s.session
  if (sdb === null) throw new TransactionError(`${objectLabel(obj)} has no session`)
  if (!sdb.session.alive) throw new DatabaseSessionIsOver(`the dbSession of ${objectLabel(obj)} is over: objects can be read, not changed (load it again in a new dbSession)`)
  if (currentSession() !== sdb.session) throw new TransactionError(`${objectLabel(obj)} belongs to another dbSession; load it again in this one (or use makeProxy)`)
  if (s.status === 'detached') throw new TransactionError(`${objectLabel(obj)} belongs to a rolled back transaction; load it again`)
  if (s.status === 'deleted' || s.status === 'gone') throw new OrmError(`${objectLabel(obj)} is deleted`)
  return sdb
}

/** An entity object of `attr`'s target for `value` (an object of this session, a primary key, or null). */
export function toRelated(sdb: SessionDb, attr: AttrMeta, given: unknown): HasState | null {
  const value = unproxy(given)
  if (value === null || value === undefined) {
    if (!attr.nullable) throw new ValueError(`${attr.qualifiedName} is required: got ${value === null ? 'null' : 'undefined'}`)
    return null
  }
  const target = attr.target!
  const state = stateIfEntity(value)
  if (state !== undefined) {
    if (!target.isSuperOf(state.meta)) throw new OrmTypeError(`${attr.qualifiedName}: expected ${aOrAn(target.name)}, got ${aOrAn(state.meta.name)}`)
    if (state.session !== sdb) throw new TransactionError(`${attr.qualifiedName}: ${objectLabel(value as HasState)} belongs to another dbSession`)
    if (state.status === 'deleted' || state.status === 'gone') throw new OrmError(`${attr.qualifiedName}: ${objectLabel(value as HasState)} is deleted`)
    return value as HasState
  }
  const pk = target.pk.length === 1 ? [value] : Array.isArray(value) ? value : null
  if (pk === null || pk.length !== target.pk.length) throw new OrmTypeError(`${attr.qualifiedName}: expected ${aOrAn(target.name)} or its primary key`)
  const values = target.pk.map((p, i) => (p.relation === 'toOne' ? toRelated(sdb, p, pk[i]) : validateScalar(p, pk[i])))
  return stubFor(sdb, target, values)
}

/** A new related object whose primary key the database has not given yet: it cannot be part of a unique key's index. */
function withoutKey(value: unknown): boolean {
  const s = stateIfEntity(value)
  return s !== undefined && s.meta.pk.some((p) => s.values[p.index] === undefined)
}

/**
 * Check and index the unique keys of `obj`: all of them for a new object
 * (`changed` null), else those that include `changed`, for its new value.
 * Every key is checked before any is indexed, so a clash on a later key
 * leaves no entry behind.
 */
export function indexUniques(sdb: SessionDb, obj: HasState, meta: EntityMeta, changed: AttrMeta | null, changedValue?: unknown): void {
  const uniques = meta.uniques
  if (uniques.length === 0) return
  const s = stateOf(obj)
  const valueOf = (a: AttrMeta): unknown => (a === changed ? changedValue : s.values[a.index])
  const previousOf = (a: AttrMeta): unknown => (s.isLoaded(a.index) ? s.values[a.index] : null)
  const identity = sdb.identity
  for (const attrs of uniques) if (changed === null || attrs.includes(changed)) identity.checkUnique(obj, attrs, uniqueKey(attrs, valueOf))
  for (const attrs of uniques) {
    if (changed !== null && !attrs.includes(changed)) continue
    identity.indexUnique(obj, attrs, uniqueKey(attrs, valueOf), changed === null ? undefined : uniqueKey(attrs, previousOf) ?? undefined)
  }
}

/** The identity-map key of one unique key's values, or null when one is missing (null, not set, or a new object without its key). */
function uniqueKey(attrs: readonly AttrMeta[], valueOf: (a: AttrMeta) => unknown): unknown {
  if (attrs.length === 1) {
    const v = valueOf(attrs[0]!)
    if (v === null || v === undefined) return null
    if (typeof v !== 'object') return v
    return withoutKey(v) ? null : keyOf([v])
  }
  const values = new Array<unknown>(attrs.length)
  for (let i = 0; i < attrs.length; i++) {
    const v = valueOf(attrs[i]!)
    if (v === null || v === undefined || withoutKey(v)) return null
    values[i] = v
  }
  return keyOf(values)
}

export function writeAttr(obj: HasState, attr: AttrMeta, value: unknown): void {
  const sdb = writableSession(obj)
  const s = stateOf(obj)
  if (attr.kind === 'primaryKey' && s.status !== 'created') throw new ValueError(`${attr.qualifiedName}: the primary key of a stored object cannot change`)
  if (attr.relation === 'toOneReverse') {
    syncReverse.assignFromReverseSide(obj, attr, toRelated(sdb, attr, value))
    return
  }
  const next = attr.relation === 'toOne' ? toRelated(sdb, attr, value) : validateScalar(attr, value)
  const i = attr.index
  const previous = s.isLoaded(i) ? s.values[i] : undefined
  if (s.isLoaded(i) && sameValue(previous, next)) return
  indexUniques(sdb, obj, s.meta, attr, next)
  if (attr.relation === 'toOne') syncReverse.afterAssign(obj, attr, (previous ?? null) as HasState | null, next as HasState | null)
  s.assign(i, next)
  if (s.status !== 'created') {
    s.markDirty(i)
    sdb.modified.add(obj)
  }
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime()
  return false
}
useWriter(writeAttr)
