/**
 * Many-to-many changes. Each pending link row is recorded once, from the
 * relation's canonical side (the attribute whose `Entity.attr` name sorts
 * first), so that `c.tags.add(t)` and `t.cars.add(c)` are the same change
 * and an add followed by a remove cancels out. A symmetric relation
 * (`friends` paired with itself) stores both directions.
 */
import type { AttrMeta } from '../model/meta.js'
import type { SessionDb } from '../session/session-db.js'
import { stateOf, type HasState } from './state.js'
import { loadedItems } from './relations.js'

function canonical(attr: AttrMeta, owner: HasState, target: HasState): [AttrMeta, HasState, HasState] {
  const r = attr.reverse!
  if (r === attr) return [attr, owner, target]
  return attr.qualifiedName <= r.qualifiedName ? [attr, owner, target] : [r, target, owner]
}

function record(sdb: SessionDb, attr: AttrMeta, owner: HasState, target: HasState, add: boolean): void {
  const [canon, a, b] = canonical(attr, owner, target)
  const key = `${canon.qualifiedName}:${stateOf(a).uid}:${stateOf(b).uid}`
  const [mine, other] = add ? [sdb.linkAdds, sdb.linkRemoves] : [sdb.linkRemoves, sdb.linkAdds]
  if (other.delete(key)) return
  mine.set(key, { attr: canon, owner: a, target: b })
}

/** Record adding (or removing) the link between `owner` (holding `attr`) and `target`, and update loaded collections. */
export function recordLink(sdb: SessionDb, attr: AttrMeta, owner: HasState, target: HasState, add: boolean): void {
  const ownItems = loadedItems(owner, attr)
  const targetItems = loadedItems(target, attr.reverse!)
  if (add && ownItems?.has(target) === true) return
  if (!add && ownItems !== null && !ownItems.has(target)) return
  record(sdb, attr, owner, target, add)
  if (attr.reverse === attr && owner !== target) record(sdb, attr, target, owner, add)
  if (add) {
    ownItems?.add(target)
    targetItems?.add(owner)
  } else {
    ownItems?.delete(target)
    targetItems?.delete(owner)
  }
}
