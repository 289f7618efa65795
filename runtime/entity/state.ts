/**
 * The hidden state behind every entity object: its values by attribute slot,
 * which slots are loaded, what the database last held (for dirty detection
 * and optimistic checks), which attributes this session read, and where the
 * object stands in the unit of work.
 */
import type { EntityMeta } from '../model/meta.js'
import type { SessionDb } from '../session/session-db.js'

/** Read on an `EntityProxy`, gives the object it stands for in the current session. */
export const PROXIED: unique symbol = Symbol('pinto.proxied')

export type ObjectStatus =
  | 'created'   // new, not yet inserted
  | 'unloaded'  // only the primary key is known
  | 'loaded'    // read from (or written to) the database
  | 'deleted'   // delete() called; removed at the next flush
  | 'gone'      // deleted in the database
  | 'detached'  // its session rolled back

let nextUid = 1

/** Slots below this index keep their loaded flag in a bit of one small integer; the rest (rare: 30 attributes or more) in an array. */
const NEAR_SLOTS = 30

export class ObjectState {
  /** A process-wide serial number (keys of pending link changes); kept when an object is specialised. */
  readonly uid: number
  status: ObjectStatus
  /**
   * Values by slot (`AttrMeta.index`): scalars, related objects, collections.
   * Written only through the methods below, which keep the database values in step.
   */
  readonly values: readonly unknown[]
  /** Loaded flags of slots below NEAR_SLOTS, one bit each. */
  private loadedBits = 0
  /** Loaded flags of slots from NEAR_SLOTS on, made for the first such slot loaded. */
  private loadedFar: boolean[] | null = null
  /**
   * The database values by slot (for optimistic checks and for seeing a row
   * change), made on the first change the database does not hold yet: until
   * then every column slot holds its database value, so `values` serves for
   * both (one array less per object read or inserted).
   */
  private dbSnapshot: unknown[] | null = null
  /** Slots the user read in this session (Pony's read set), made on the first read: many loaded objects are never read. */
  private readSlots: boolean[] | null = null
  /** Slots changed since the last flush, made on the first change: most loaded objects never change. */
  private changedSlots: Set<number> | undefined = undefined

  constructor(
    /** The concrete entity (a subclass in a hierarchy). */
    public meta: EntityMeta,
    public session: SessionDb | null,
    status: ObjectStatus,
    uid?: number,
  ) {
    this.uid = uid ?? nextUid++
    this.status = status
    this.values = blankSlots(meta.slots).empty.slice()
  }

  /** Whether the object has a row: loaded, or known by its key only (not new, deleted or gone). */
  get stored(): boolean {
    return this.status === 'loaded' || this.status === 'unloaded'
  }

  /** Whether slot `i`'s value is known. */
  isLoaded(i: number): boolean {
    if (i < NEAR_SLOTS) return (this.loadedBits & (1 << i)) !== 0
    return this.loadedFar !== null && this.loadedFar[i] === true
  }

  markLoaded(i: number): void {
    if (i < NEAR_SLOTS) this.loadedBits |= 1 << i
    else (this.loadedFar ??= [])[i] = true
  }

  /** Slot `i` is to be read again (the row changed behind the session); its value stays until then. */
  markUnloaded(i: number): void {
    if (i < NEAR_SLOTS) this.loadedBits &= ~(1 << i)
    else if (this.loadedFar !== null) this.loadedFar[i] = false
  }

  /** The database holds `v` in slot `i` (it was read, or written with this value): value, loaded flag and database value. */
  setStored(i: number, v: unknown): void {
    (this.values as unknown[])[i] = v
    this.markLoaded(i)
    if (this.dbSnapshot !== null) this.dbSnapshot[i] = v
  }

  /** A value the database does not hold yet (a new object's, an assignment, a cascade), now loaded. */
  assign(i: number, v: unknown): void {
    if (this.dbSnapshot === null && this.status !== 'created' && this.meta.slots[i]!.columns.length > 0) this.dbSnapshot = this.values.slice()
    ;(this.values as unknown[])[i] = v
    this.markLoaded(i)
  }

  /** Set a slot without columns (a collection, a one-to-one reverse) without touching its loaded flag. */
  setUnstored(i: number, v: unknown): void {
    (this.values as unknown[])[i] = v
  }

  /** The value the database held for slot `i` when last read or written. */
  dbValue(i: number): unknown {
    return (this.dbSnapshot ?? this.values)[i]
  }

  /** After an INSERT or UPDATE: the database now holds `v` in slot `i` (the object's value may differ: a reference sent as null). */
  setWritten(i: number, v: unknown): void {
    if (this.dbSnapshot === null) {
      if (this.values[i] === v) return
      this.dbSnapshot = this.values.slice()
    }
    this.dbSnapshot[i] = v
  }

  /** Forget every value (a strict session is over). */
  forget(): void {
    this.loadedBits = 0
    this.loadedFar = null
    this.dbSnapshot = null
    ;(this.values as unknown[]).fill(undefined)
  }

  /** Whether the user read slot `i` in this session. */
  wasRead(i: number): boolean {
    return this.readSlots !== null && this.readSlots[i] === true
  }

  markRead(i: number): void {
    const read = this.readSlots
    if (read !== null) read[i] = true
    else (this.readSlots = blankSlots(this.meta.slots).unset.slice())[i] = true
  }

  /** Slot `i` changed and must be written at the next flush. */
  markDirty(i: number): void {
    (this.changedSlots ??= new Set<number>()).add(i)
  }

  /** Whether slot `i` changed since the last flush. */
  isDirty(i: number): boolean {
    return this.changedSlots !== undefined && this.changedSlots.has(i)
  }

  /** Whether any slot changed since the last flush. */
  get anyDirty(): boolean {
    return this.changedSlots !== undefined && this.changedSlots.size > 0
  }

  /** The changed slots, in the order they changed (empty when none). */
  dirtySlots(): Iterable<number> {
    return this.changedSlots ?? NO_SLOTS
  }

  /** The object was written: nothing is dirty any more. */
  clearDirty(): void {
    this.changedSlots?.clear()
  }

  /** Copy what another state of the same object knew (an object specialised to a subclass keeps its slots). */
  copySlotsFrom(other: ObjectState): void {
    const values = this.values as unknown[]
    for (let i = 0; i < other.values.length; i++) {
      values[i] = other.values[i]
      if (other.isLoaded(i)) this.markLoaded(i)
      if (other.wasRead(i)) this.markRead(i)
    }
    if (other.dbSnapshot !== null) {
      this.dbSnapshot = values.slice()
      for (let i = 0; i < other.dbSnapshot.length; i++) this.dbSnapshot[i] = other.dbSnapshot[i]
    }
    for (const i of other.dirtySlots()) this.markDirty(i)
  }
}

interface BlankSlots {
  readonly empty: readonly unknown[]
  readonly unset: readonly boolean[]
}

const blanks = new WeakMap<readonly unknown[], BlankSlots>()
const NO_SLOTS: readonly number[] = []

/** Initial slot arrays for an entity's slot list, made once: copying a packed array is cheaper than filling a new one. */
function blankSlots(slots: readonly unknown[]): BlankSlots {
  let blank = blanks.get(slots)
  if (blank === undefined || blank.empty.length !== slots.length) {
    const empty: unknown[] = []
    const unset: boolean[] = []
    for (let i = 0; i < slots.length; i++) {
      empty.push(undefined)
      unset.push(false)
    }
    blank = { empty, unset }
    blanks.set(slots, blank)
  }
  return blank
}

/** The uid the next new object will get: objects with a uid at or above it were made after this call. */
export function nextObjectUid(): number {
  return nextUid
}

/**
 * Where an object's state lives: a private field stamped onto the object.
 * A private field is invisible to spread, `Object.assign`, reflection and
 * `util.inspect`, like a non-enumerable property, but adding one costs a map
 * transition (15 ns) where `Object.defineProperty` costs a runtime call
 * (200 ns, once per object made or loaded). The base class's constructor
 * returns the object it is given, so the subclass's field lands on that object.
 */
class ReturnsGiven {
  constructor(obj: object) {
    return obj
  }
}

class StateField extends ReturnsGiven {
  #state: ObjectState

  private constructor(obj: object, state: ObjectState) {
    super(obj)
    this.#state = state
  }

  static attach(obj: object, state: ObjectState): void {
    new StateField(obj, state)
  }

  static replace(obj: object, state: ObjectState): void {
    (obj as StateField).#state = state
  }

  static read(obj: object): ObjectState | undefined {
    return #state in obj ? (obj as StateField).#state : undefined
  }
}

/** Anything with pinto's hidden state: every entity object (a type-only brand; the state is read with `stateOf`). */
export interface HasState {
  readonly [ENTITY]: true
}
declare const ENTITY: unique symbol

/** Give a new object its state. */
export function attachState(obj: object, state: ObjectState): void {
  StateField.attach(obj, state)
}

/** Give an object a new state (an object specialised to a subclass). */
export function replaceState(obj: HasState, state: ObjectState): void {
  StateField.replace(obj, state)
}

/** The state of an entity object (a proxy gives the state of the object it stands for in the current session). */
export function stateOf(obj: HasState): ObjectState {
  return StateField.read(obj) ?? proxiedState(obj)!
}

/** The state of `value` when it is an entity object (or a proxy of one), else undefined. */
export function stateIfEntity(value: unknown): ObjectState | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  return StateField.read(value) ?? proxiedState(value)
}

/** Whether `value` is an entity object or a proxy of one. */
export function isEntityObject(value: unknown): value is HasState {
  return stateIfEntity(value) !== undefined
}

function proxiedState(value: object): ObjectState | undefined {
  const real = (value as { [PROXIED]?: object })[PROXIED]
  return real === undefined || real === value ? undefined : StateField.read(real)
}

/** The entity object a proxy stands for in the current session; any other value unchanged. */
export function unproxy<V>(value: V): V {
  if (typeof value !== 'object' || value === null) return value
  const real = (value as { [PROXIED]?: V })[PROXIED]
  return real === undefined ? value : real
}
