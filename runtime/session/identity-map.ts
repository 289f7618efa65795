/**
 * The identity map: inside one session, one row is one object. Objects are
 * keyed by the root of their hierarchy and their primary key, so
 * `Person.get(1)` finds a `Student` with id 1. Unique keys are indexed too,
 * so a duplicate among the session's objects is a `CacheIndexError` before
 * any SQL.
 */
import { CacheIndexError } from '../../compiler/errors.js'
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import { stateOf, isEntityObject, type HasState } from '../entity/state.js'

/** A Map key for one value or a tuple of values (composite keys, dates, bytes). */
export function keyOf(values: readonly unknown[]): unknown {
  if (values.length === 1) {
    const v = values[0]
    if (typeof v !== 'object' || v === null) return v
  }
  return values.map((v) => {
    if (v instanceof Date) return `d${v.getTime()}`
    if (v instanceof Uint8Array) return `b${Buffer.from(v).toString('hex')}`
    if (isEntityObject(v)) return `e${String(keyOf(pkValues(v as HasState)))}`
    return `${typeof v}:${String(v)}`
  }).join('\u0000')
}

/** The primary-key values of an object (related objects for pk attributes that are references). */
export function pkValues(obj: HasState): unknown[] {
  const state = stateOf(obj)
  return state.meta.pk.map((a) => state.values[a.index])
}

/** Whether `obj`'s primary key is `pk` (as the identity map compares keys). */
export function hasPk(obj: HasState, pk: readonly unknown[]): boolean {
  const s = stateOf(obj)
  const pkAttrs = s.meta.pk
  if (pkAttrs.length === 1) {
    const v = s.values[pkAttrs[0]!.index]
    const k = pk[0]
    if (typeof v !== 'object' && typeof k !== 'object') return v === k
  }
  return keyOf(pkValues(obj)) === keyOf(pk)
}

export class IdentityMap {
  /**
   * The table of the first hierarchy the session touched, kept apart from the
   * others: most sessions touch one, and need no Map of tables at all.
   */
  private firstRoot: EntityMeta | undefined = undefined
  private firstTable: Map<unknown, HasState> | undefined = undefined
  /** The tables of every other hierarchy, by root (made for the second one). */
  private otherTables: Map<EntityMeta, Map<unknown, HasState>> | undefined = undefined
  /** Unique-key indexes, made on first use (most sessions only read by primary key). */
  private byUniqueMaps: Map<readonly AttrMeta[], Map<unknown, HasState>> | undefined = undefined

  private tableOf(root: EntityMeta): Map<unknown, HasState> | undefined {
    return root === this.firstRoot ? this.firstTable : this.otherTables?.get(root)
  }

  /** The objects of `meta`'s hierarchy, keyed by `keyOf(primary key)`; a caller that has just found a key absent may set it directly. */
  table(meta: EntityMeta): Map<unknown, HasState> {
    const root = meta.root
    if (root === this.firstRoot) return this.firstTable!
    if (this.firstRoot === undefined) {
      this.firstRoot = root
      return (this.firstTable = new Map())
    }
    const others = (this.otherTables ??= new Map())
    let t = others.get(root)
    if (t === undefined) {
      t = new Map()
      others.set(root, t)
    }
    return t
  }

  get(meta: EntityMeta, key: unknown): HasState | undefined {
    return this.tableOf(meta.root)?.get(key)
  }

  /** Register an object under its primary key; another object already there is a CacheIndexError. */
  add(obj: HasState, key: unknown): void {
    const state = stateOf(obj)
    const table = this.table(state.meta)
    const existing = table.get(key)
    if (existing !== undefined && existing !== obj) {
      throw new CacheIndexError(`${state.meta.name}: an object with primary key ${describeKey(key)} already exists in this session`)
    }
    table.set(key, obj)
  }

  remove(obj: HasState, key: unknown): void {
    const table = this.tableOf(stateOf(obj).meta.root)
    if (table?.get(key) === obj) table.delete(key)
  }

  /** Check and record the unique keys of an object; `previous` values are unindexed first. */
  /** Throw CacheIndexError when another object of the session already holds `key` of the unique `attrs`. */
  checkUnique(obj: HasState, attrs: readonly AttrMeta[], key: unknown): void {
    if (key === null) return
    const existing = this.byUniqueMaps?.get(attrs)?.get(key)
    if (existing !== undefined && existing !== obj) {
      throw new CacheIndexError(`${stateOf(obj).meta.name}: another object in this session already has ${attrs.map((a) => a.name).join(', ')} = ${describeKey(key)}`)
    }
  }

  /** Index `obj` under `key` of the unique `attrs` (checked first with `checkUnique`), dropping its previous key. */
  indexUnique(obj: HasState, attrs: readonly AttrMeta[], key: unknown, previousKey?: unknown): void {
    const byUnique = (this.byUniqueMaps ??= new Map())
    let index = byUnique.get(attrs)
    if (index === undefined) {
      index = new Map()
      byUnique.set(attrs, index)
    }
    if (previousKey !== undefined && previousKey !== null && index.get(previousKey) === obj) index.delete(previousKey)
    if (key !== null) index.set(key, obj)
  }

  *all(): IterableIterator<HasState> {
    if (this.firstTable !== undefined) yield* this.firstTable.values()
    if (this.otherTables !== undefined) for (const table of this.otherTables.values()) yield* table.values()
  }

  clear(): void {
    this.firstRoot = undefined
    this.firstTable = undefined
    this.otherTables = undefined
    this.byUniqueMaps = undefined
  }
}

function describeKey(key: unknown): string {
  return typeof key === 'string' ? `'${key.replaceAll('\u0000', ', ')}'` : String(key)
}
