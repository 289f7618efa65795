/**
 * Marking objects deleted. `obj.delete()` only records the intent and takes
 * the object out of loaded collections; the flush follows the relations
 * (cascades, nulling optional references) and sends the DELETEs. A bulk
 * delete, whose rows are already gone, detaches its objects the same way.
 */
import type { AttrMeta } from '../model/meta.js'
import { stateOf, type HasState } from '../entity/state.js'
import { loadedItems } from '../entity/relations.js'
import type { SessionDb } from './session-db.js'

/** Take an object out of what other objects hold loaded: the collections and one-to-one reverses its references reach, the other sides of its many-to-many collections. */
export function detachFromLoaded(obj: HasState): void {
  const s = stateOf(obj)
  for (const attr of s.meta.slots) {
    if (attr.relation === 'toOne') {
      const target = s.values[attr.index] as HasState | null | undefined
      if (target !== null && target !== undefined && attr.reverse !== null) {
        if (attr.reverse.relation === 'toMany') loadedItems(target, attr.reverse)?.delete(obj)
        else {
          const ts = stateOf(target)
          if (ts.values[attr.reverse.index] === obj) ts.setUnstored(attr.reverse.index, null)
        }
      }
    } else if (attr.relation === 'manyToMany') {
      const items = loadedItems(obj, attr)
      if (items !== null) for (const other of items) loadedItems(other, attr.reverse!)?.delete(obj)
    }
  }
}

/** Record a delete; a never-inserted object is simply dropped. */
export function markDeleted(sdb: SessionDb, obj: HasState): void {
  const s = stateOf(obj)
  if (s.status === 'deleted' || s.status === 'gone') return
  detachFromLoaded(obj)
  if (s.meta.slots.some((a) => a.relation === 'manyToMany')) {
    for (const [key, change] of sdb.linkAdds) if (change.owner === obj || change.target === obj) sdb.linkAdds.delete(key)
  }
  sdb.modified.delete(obj)
  if (s.status === 'created') {
    sdb.created.delete(obj)
    s.status = 'gone'
    return
  }
  s.status = 'deleted'
  sdb.deleted.add(obj)
}

/** A cascade that nulls an optional reference (`child.attr = null`), recorded as an update. */
export function setReferenceNull(sdb: SessionDb, child: HasState, attr: AttrMeta): void {
  const s = stateOf(child)
  s.assign(attr.index, null)
  if (s.status === 'created') return
  s.markDirty(attr.index)
  sdb.modified.add(child)
}
