/**
 * `makeProxy(obj)`: a handle on an entity object that outlives its session.
 * It remembers the object's entity and primary key; inside a later
 * `dbSession` it stands for that session's object with the same key.
 * `await proxy.load()` loads the object in the current session (one SELECT,
 * batched with other loads of the tick; none if already loaded), after which
 * attributes read synchronously; assignments and method calls go to the
 * current session's object (an assignment works without loading: it
 * records an UPDATE by primary key). Outside any session the proxy reads
 * the original object, whose loaded attributes stay readable.
 */
import { OrmError, OrmTypeError, UnloadedError } from '../../compiler/errors.js'
import type { EntityMeta } from '../model/meta.js'
import { currentSession, requireSession } from '../session/session.js'
import { keyOf, pkValues } from '../session/identity-map.js'
import type { SessionDb } from '../session/session-db.js'
import { DATABASE } from '../entity/entity.js'
import type { Database } from '../database.js'
import { objectLabel, stubFor } from '../entity/objects.js'
import { loadObject } from '../query/load.js'
import { PROXIED, stateOf, stateIfEntity, type HasState } from '../entity/state.js'

/** An entity object that can cross sessions; see `makeProxy`. */
export type EntityProxy<T> = T & {
  /** Load the object in the current dbSession (ObjectNotFound if its row is gone); resolves to the proxy. */
  load(): Promise<EntityProxy<T>>
  /** The current session's object this proxy stands for (the original outside any session). */
  unwrap(): T
}

class ProxyState {
  constructor(readonly meta: EntityMeta, readonly db: Database, readonly original: HasState) {}

  get label(): string {
    return `${objectLabel(this.original)} (proxy)`
  }

  pk(): unknown[] {
    const pk = pkValues(this.original)
    if (pk.some((v) => v === undefined || v === null)) throw new OrmError(`${objectLabel(this.original)} has no primary key yet: flush its session before using its proxy elsewhere`)
    return pk
  }

  /** The object in the current session (a stub when `create` and the session has none); null outside sessions. */
  resolve(create: boolean): HasState | undefined | null {
    const session = currentSession()
    if (session === undefined) return null
    const sdb: SessionDb = session.forDb(this.db)
    if (sdb === stateOf(this.original).session) return this.original
    const pk = this.pk()
    return sdb.identity.get(this.meta, keyOf(pk)) ?? (create ? stubFor(sdb, this.meta, pk) : undefined)
  }

  current(): HasState {
    return this.resolve(true) ?? this.original
  }

  async load(): Promise<void> {
    requireSession(`${this.label}.load()`)
    const obj = this.current()
    if (stateOf(obj).status !== 'created') await loadObject(obj)
  }

  /** Throw the proxy's UnloadedError unless `name` can be read from `obj` now. */
  checkReadable(obj: HasState | undefined, name: string): void {
    const attr = this.meta.attrs.get(name)
    if (attr === undefined || attr.kind === 'set' || attr.kind === 'computed' || attr.kind === 'primaryKey') return
    const s = obj === undefined ? undefined : stateOf(obj)
    if (s !== undefined && (s.isLoaded(attr.index) || s.status === 'created')) return
    throw new UnloadedError(`${this.label}.${name} is not loaded in this dbSession: \`await proxy.load()\` first`)
  }
}

/**
 * A proxy of `obj` usable in later sessions.
 * @example
 * const p = await dbSession.run(async () => makeProxy((await Person.get(1))!))
 * await dbSession.run(async () => {
 *   await p.load()
 *   p.age += 1            // an UPDATE of Person[1] at the end of this session
 * })
 */
export function makeProxy<T extends object>(obj: T): EntityProxy<T> {
  const s = stateIfEntity(obj)
  if (s === undefined) throw new OrmTypeError('makeProxy takes an entity object')
  const meta = s.meta
  const db = s.session?.db ?? (meta.cls as { [DATABASE]: Database })[DATABASE]
  const state = new ProxyState(meta, db, obj as unknown as HasState)
  const target = Object.create((meta.cls as { prototype: object }).prototype) as object
  const proxy: EntityProxy<T> = new Proxy(target, {
    get(_target, key) {
      if (key === 'then') return undefined
      if (key === 'load') return async () => { await state.load(); return proxy }
      if (key === 'unwrap') return () => state.current()
      if (key === PROXIED) return state.current()
      if (typeof key === 'string' && meta.attrs.has(key)) {
        const found = state.resolve(false)
        if (found === null) return Reflect.get(state.original, key, state.original)
        const attr = meta.attrs.get(key)!
        if (attr.kind === 'primaryKey' && found === undefined) return state.pk()[meta.pk.indexOf(attr)]
        state.checkReadable(found, key)
        const real = found ?? state.current()
        return Reflect.get(real, key, real)
      }
      const real = state.current()
      const value = Reflect.get(real, key, real) as unknown
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(real) : value
    },
    set(_target, key, value) {
      const real = state.current()
      return Reflect.set(real, key, value, real)
    },
    has(_target, key) {
      return key in state.original
    },
  }) as EntityProxy<T>
  return proxy
}
