/**
 * `Entity`, the base class of every entity class `db.define` makes. Its
 * constructor creates a new object in the current session (validated at once;
 * inserted at the next flush); its methods load, change, delete and export
 * an object.
 */
import { OrmTypeError } from '../../compiler/errors.js'
import type { Database } from '../database.js'
import type { EntityMeta } from '../model/meta.js'
import { requireSession } from '../session/session.js'
import { markDeleted } from '../session/deletion.js'
import { loadObject } from '../query/load.js'
import { indexUniques, toRelated, writableSession, writeAttr } from './access.js'
import { checkInitKeys, FROM_DATABASE, givenOrDefault, objectLabel } from './objects.js'
import { attachState, ObjectState, stateOf, type HasState } from './state.js'
import { validateScalar } from './validate.js'
import { collectionOf } from './collection.js'
import { syncReverse } from './relations.js'
import { keyOf, pkValues } from '../session/identity-map.js'
import { toDict, type ToDictOptions } from './to-dict.js'

export const META: unique symbol = Symbol('pinto.meta')
export const DATABASE: unique symbol = Symbol('pinto.database')

interface EntityCtor {
  [META]: EntityMeta
  [DATABASE]: Database
}

export abstract class Entity {
  constructor(init: object) {
    createObject(this as unknown as HasState, new.target as unknown as EntityCtor, init)
  }

  /** Load what is not loaded yet (an unloaded reference, lazy attributes). */
  async load(): Promise<this> {
    await loadObject(this as unknown as HasState)
    return this
  }

  /** Delete at the next flush, with cascades; hooks run then. */
  delete(): void {
    const sdb = writableSession(this as unknown as HasState)
    markDeleted(sdb, this as unknown as HasState)
  }

  /** Assign several attributes; all are validated before any is changed. */
  set(values: Partial<Omit<this, keyof Entity>>): void {
    const obj = this as unknown as HasState
    const sdb = writableSession(obj)
    const meta = stateOf(obj).meta
    const init = checkInitKeys(meta, values)
    for (const [name, value] of Object.entries(init)) {
      const attr = meta.attrs.get(name)!
      if (attr.kind === 'set') throw new OrmTypeError(`${attr.qualifiedName} is a collection: use .add() and .remove()`)
      if (attr.relation === 'none') validateScalar(attr, value)
      else toRelated(sdb, attr, value)
    }
    for (const [name, value] of Object.entries(init)) writeAttr(obj, meta.attrs.get(name)!, value)
  }

  /** A plain object of the loaded attributes. */
  toDict(options: ToDictOptions = {}): Record<string, unknown> {
    return toDict(this as unknown as HasState, options)
  }

  toJSON(): Record<string, unknown> {
    return toDict(this as unknown as HasState, {})
  }

  toString(): string {
    return objectLabel(this as unknown as HasState)
  }
}

/**
 * A new object: every given or default value validated into a fresh state
 * (nothing is registered until all are valid), keys checked against the
 * session's identity map, then registered as created and linked to the
 * objects it refers to.
 */
function createObject(obj: HasState, cls: EntityCtor, initArg: object): void {
  const meta = cls[META]
  const session = requireSession(`new ${meta.name}(...)`)
  const sdb = session.forDb(cls[DATABASE])
  sdb.assertUsable()
  const init = checkInitKeys(meta, initArg)
  const state = new ObjectState(meta, sdb, 'created')
  const values = state.values
  for (const attr of meta.slots) {
    const i = attr.index
    if (attr.kind === 'set') {
      state.markLoaded(i)
    } else if (attr.relation === 'toOneReverse') {
      state.assign(i, null)
    } else {
      const value = givenOrDefault(attr, init)
      if (value === FROM_DATABASE) continue
      state.assign(i, attr.relation === 'toOne' ? toRelated(sdb, attr, value) : validateScalar(attr, value))
    }
  }
  attachState(obj, state)
  const pkKey = givenKey(obj, state)
  if (pkKey !== undefined && sdb.identity.get(meta, pkKey) !== undefined) sdb.identity.add(obj, pkKey)
  indexUniques(sdb, obj, meta, null)
  if (pkKey !== undefined) sdb.identity.add(obj, pkKey)
  sdb.created.add(obj)
  for (const attr of meta.slots) {
    const value = values[attr.index]
    if (attr.relation === 'toOne' && value !== null && value !== undefined) syncReverse.afterAssign(obj, attr, null, value as HasState)
  }
  for (const attr of meta.slots) {
    if (attr.kind !== 'set' && attr.relation !== 'toOneReverse') continue
    const items = init[attr.name]
    if (items === undefined || items === null) continue
    if (attr.kind === 'set') {
      if (!Array.isArray(items)) throw new OrmTypeError(`${attr.qualifiedName}: expected an array of ${attr.target!.name} objects`)
      collectionOf(obj, attr).add(items)
    } else {
      writeAttr(obj, attr, items)
    }
  }
}

/** The identity-map key of a new object whose primary key was given; undefined when the database will assign it. */
function givenKey(obj: HasState, state: ObjectState): unknown {
  return state.meta.pk.every((p) => state.isLoaded(p.index)) ? keyOf(pkValues(obj)) : undefined
}
