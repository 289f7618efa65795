/**
 * Keeping both sides of a relation in step in memory. Assigning `c.owner = p2`
 * moves `c` from the first owner's loaded `cars` to `p2`'s; for a one-to-one,
 * the previous partner lets go. Collections that are not loaded are left
 * alone: they will read the database (after a flush) when loaded.
 */
import type { AttrMeta } from '../model/meta.js'
import { stateOf, type HasState } from './state.js'
import { collectionOf } from './collection.js'

/**
 * The live items of `obj.attr` (a collection) when they are known: a loaded
 * collection's, or a new object's (its collection, marked loaded but not made
 * yet, is made here); otherwise null.
 */
export function loadedItems(obj: HasState, attr: AttrMeta): Set<HasState> | null {
  const s = stateOf(obj)
  if (attr.index >= s.values.length) return null
  if (s.values[attr.index] === undefined && !s.isLoaded(attr.index)) return null
  return collectionOf<HasState>(obj, attr).loadedSet()
}

type Writer = (obj: HasState, attr: AttrMeta, value: unknown) => void
let writeAttr: Writer = () => undefined

/** access.ts registers its writer here (it imports this module, so it cannot be imported back). */
export function useWriter(writer: Writer): void {
  writeAttr = writer
}

export const syncReverse = {
  /** After `obj.attr` (a to-one with columns) changed from `prev` to `next`. */
  afterAssign(obj: HasState, attr: AttrMeta, prev: HasState | null, next: HasState | null): void {
    const r = attr.reverse
    if (r === null) return
    if (r.relation === 'toMany') {
      if (prev !== null) loadedItems(prev, r)?.delete(obj)
      if (next !== null) loadedItems(next, r)?.add(obj)
      return
    }
    if (prev !== null) {
      const ps = stateOf(prev)
      if (ps.values[r.index] === obj) ps.setUnstored(r.index, null)
    }
    if (next !== null) {
      const ns = stateOf(next)
      const other = ns.isLoaded(r.index) ? (ns.values[r.index] as HasState | null) : null
      if (other !== null && other !== obj) writeAttr(other, attr, null)
      ns.assign(r.index, obj)
    }
  },

  /** `p.passport = x` on the side without columns: the change is made on `x.person`. */
  assignFromReverseSide(obj: HasState, attr: AttrMeta, value: HasState | null): void {
    const r = attr.reverse!
    const s = stateOf(obj)
    const current = s.isLoaded(attr.index) ? (s.values[attr.index] as HasState | null) : null
    if (current !== null && current !== value) writeAttr(current, r, null)
    if (value !== null) writeAttr(value, r, obj)
    s.assign(attr.index, value)
  },
}
