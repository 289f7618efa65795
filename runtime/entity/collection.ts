/**
 * `p.cars`: the objects on the "many" side of a relation. It starts unloaded
 * (except on a new object, whose collections are empty); `await load()` reads
 * it after flushing pending changes, and from then on it is iterable, sized
 * and kept in step with assignments on either side. `add`/`remove` change
 * the reverse reference (one-to-many) or the link table (many-to-many).
 */
import { OrmTypeError, UnloadedError, ValueError } from '../../compiler/errors.js'
import type { AttrMeta } from '../model/meta.js'
import { countCollection, loadCollection } from '../query/load.js'
import { unproxy, stateOf, stateIfEntity, type HasState } from './state.js'
import { objectLabel } from './objects.js'
import { recordLink } from './links.js'
import { writableSession, writeAttr } from './access.js'
import { Query } from '../query/query.js'

type Params = Readonly<Record<string, unknown>>

/** The owner filter of a collection query: a static lambda, so its translation is cached once. */
const IS_OWNER = (o: unknown, $: { owner: unknown }): boolean => o === $.owner

/** The items of a loaded collection that has had none yet (every new object's): shared, never changed. */
const NO_ITEMS: Set<HasState> = new Set()

/**
 * The collection object of `obj.attr`, made on first use: loaded (and empty)
 * when its slot is marked loaded (a new object's), otherwise to be read.
 */
export function collectionOf<T = unknown>(obj: HasState, attr: AttrMeta): Collection<T> {
  const s = stateOf(obj)
  let coll = s.values[attr.index] as Collection<T> | undefined
  if (coll === undefined) {
    coll = new Collection<T>(obj, attr, s.isLoaded(attr.index))
    s.setUnstored(attr.index, coll)
  }
  return coll
}

export class Collection<T> implements Iterable<T> {
  private items: Set<HasState> | null

  /** @internal */
  constructor(private readonly owner: HasState, private readonly attr: AttrMeta, loaded: boolean) {
    this.items = loaded ? NO_ITEMS : null
  }

  /** @internal the live set (its own from here on: callers change it), or null when not loaded. */
  loadedSet(): Set<HasState> | null {
    if (this.items === NO_ITEMS) this.items = new Set()
    return this.items
  }

  /** @internal mark loaded with these objects (a batch or `prefetch` read them). */
  setLoaded(items: Iterable<HasState>): void {
    this.items = new Set(items)
  }

  /** @internal forget the loaded objects: the database gained rows this session did not see. */
  unload(): void {
    this.items = null
  }

  get isLoaded(): boolean {
    return this.items !== null
  }

  /**
   * Load the collection (flushing pending changes first) and return its
   * objects. Loads requested in the same tick share one SELECT.
   * @example
   * await Promise.all(people.map((p) => p.cars.load()))   // one SELECT … WHERE owner IN (…)
   */
  async load(): Promise<T[]> {
    await loadCollection(this.owner, this.attr)
    return [...(this.items ?? [])] as T[]
  }

  /** The number of objects, counted in the database unless loaded. */
  async count(): Promise<number> {
    if (this.items !== null) return this.items.size
    return countCollection(this.owner, this.attr)
  }

  /**
   * A query over this collection's objects, narrowed by an optional lambda:
   * `p.cars.select(c => c.year > 2000)`.
   */
  select<P extends Params = Params>(fn?: (x: T, $: P) => unknown, params?: P): Query<T> {
    const ownerMeta = stateOf(this.owner).meta
    const db = stateOf(this.owner).session?.db
    if (db === undefined) throw new OrmTypeError(`${objectLabel(this.owner)} has no session`)
    const base = new Query<T>(db, {
      sources: [ownerMeta.name],
      ops: [
        { op: 'filter', lambda: { fn: IS_OWNER as (...args: never[]) => unknown, params: { owner: this.owner } } },
        { op: 'mapAttr', attr: this.attr.name },
      ],
      terminal: { kind: 'rows' },
    })
    return fn === undefined ? base : base.filter(fn as (x: T, $: P) => unknown, params)
  }

  private unloaded(what: string): UnloadedError {
    return new UnloadedError(`${objectLabel(this.owner)}.${this.attr.name} is not loaded: \`await ${this.attr.entity.name.charAt(0).toLowerCase()}${this.attr.entity.name.slice(1)}.${this.attr.name}.load()\` before ${what}`)
  }

  private toItems(value: T | readonly T[]): HasState[] {
    const list = Array.isArray(value) ? (value as readonly T[]) : [value as T]
    return list.map((given) => {
      const item = unproxy(given)
      const s = stateIfEntity(item)
      if (s === undefined || !this.attr.target!.isSuperOf(s.meta)) {
        throw new OrmTypeError(`${this.attr.qualifiedName}: expected ${this.attr.target!.name} objects`)
      }
      return item as HasState
    })
  }

  /** Add one object or several. */
  add(value: T | readonly T[]): void {
    const sdb = writableSession(this.owner)
    for (const item of this.toItems(value)) {
      if (this.attr.relation === 'toMany') writeAttr(item, this.attr.reverse!, this.owner)
      else recordLink(sdb, this.attr, this.owner, item, true)
    }
  }

  /** Remove one object or several (for one-to-many, the reverse must be optional). */
  remove(value: T | readonly T[]): void {
    const sdb = writableSession(this.owner)
    for (const item of this.toItems(value)) {
      if (this.attr.relation === 'toMany') {
        const r = this.attr.reverse!
        if (!r.nullable) throw new ValueError(`${r.qualifiedName} is required: removing ${objectLabel(item)} from ${this.attr.qualifiedName} would leave it without one; delete it or assign another ${r.target!.name}`)
        const is = stateOf(item)
        if (is.isLoaded(r.index) && is.values[r.index] !== this.owner) continue
        writeAttr(item, r, null)
      } else {
        recordLink(sdb, this.attr, this.owner, item, false)
      }
    }
  }

  /** Remove every object (the collection must be loaded). */
  clear(): void {
    if (this.items === null) throw this.unloaded('clear()')
    this.remove([...this.items] as T[])
  }

  get size(): number {
    if (this.items === null) throw this.unloaded('reading size')
    return this.items.size
  }

  has(value: T): boolean {
    if (this.items === null) throw this.unloaded('has()')
    return this.items.has(unproxy(value) as HasState)
  }

  [Symbol.iterator](): Iterator<T> {
    if (this.items === null) throw this.unloaded('iterating it')
    return (this.items.values() as Iterable<T>)[Symbol.iterator]()
  }

  toArray(): T[] {
    return [...this]
  }

  /**
   * Array-like reads of a loaded collection. In a query lambda they are
   * translated to SQL (`p.cars.length` → a correlated COUNT); run in plain
   * JavaScript they compute the same answer in memory.
   */
  get length(): number {
    return this.size
  }

  some(fn: (item: T) => unknown): boolean {
    return this.toArray().some(fn)
  }

  every(fn: (item: T) => unknown): boolean {
    return this.toArray().every(fn)
  }

  filter(fn: (item: T) => unknown): T[] {
    return this.toArray().filter(fn)
  }

  map<U>(fn: (item: T) => U): U[] {
    return this.toArray().map(fn)
  }

  includes(item: T): boolean {
    return this.has(item)
  }

  toJSON(): unknown {
    return this.items === null ? undefined : [...this.items]
  }
}
