/**
 * Filling relations of many objects at once: loaded collections (one-to-many
 * and many-to-many), one-to-one reverses, and unloaded referenced objects.
 * Each `fill…` takes the objects that need it, reads with the batched key
 * loaders of `keys.ts`, and stores the result in the objects' state so that
 * later reads send no SQL. Used by `prefetch`, by the same-tick batcher, and
 * by a bulk update to read its rows again.
 */
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import { pkValues } from '../session/identity-map.js'
import type { SessionDb } from '../session/session-db.js'
import { collectionOf } from '../entity/collection.js'
import { loadedItems } from '../entity/relations.js'
import { stateOf, type HasState, type ObjectState } from '../entity/state.js'
import { loadChildren, loadLinked, loadRowsByPk } from './keys.js'

/** Load `attr` (a collection) of every owner; new owners count as empty. Returns each owner's items. */
export async function fillCollections(sdb: SessionDb, attr: AttrMeta, owners: readonly HasState[]): Promise<Map<HasState, HasState[]>> {
  const stored = owners.filter((o) => stateOf(o).status !== 'created')
  const found = attr.relation === 'toMany' ? await loadChildren(sdb, attr, stored) : await loadLinked(sdb, attr, stored)
  const out = new Map<HasState, HasState[]>()
  for (const owner of owners) {
    const coll = collectionOf(owner, attr)
    const items = found.get(owner)
    if (items === undefined) {
      out.set(owner, [...(coll.loadedSet() ?? [])])
      continue
    }
    coll.setLoaded(items)
    out.set(owner, items)
  }
  return out
}

/** Load a one-to-one reverse `attr` (the side without columns) of every owner. */
export async function fillReverseOnes(sdb: SessionDb, attr: AttrMeta, owners: readonly HasState[]): Promise<Map<HasState, HasState | null>> {
  const pending = owners.filter((o) => stateOf(o).status !== 'created')
  const found = await loadChildren(sdb, attr, pending)
  const out = new Map<HasState, HasState | null>()
  for (const owner of pending) {
    const other = found.get(owner)?.[0] ?? null
    const s = stateOf(owner)
    s.setStored(attr.index, other)
    out.set(owner, other)
  }
  return out
}

/** Whether a stored object lacks some of its non-lazy stored attributes (its row must be read). */
export function lacksRow(s: ObjectState): boolean {
  if (s.status === 'unloaded') return true
  if (s.status !== 'loaded') return false
  for (const i of s.meta.rowSlots) if (!s.isLoaded(i)) return true
  return false
}

/**
 * Read the rows of objects that lack them (stubs, or objects whose stored
 * values were forgotten), one batched SELECT per entity; `byTable` reads a
 * hierarchy's rows together, whatever their class (no discriminator test).
 */
export async function fillRows(sdb: SessionDb, objects: readonly HasState[], byTable = false): Promise<void> {
  const byMeta = new Map<EntityMeta, unknown[][]>()
  for (const obj of objects) {
    const s = stateOf(obj)
    if (!lacksRow(s)) continue
    const meta = byTable ? s.meta.root : s.meta
    let list = byMeta.get(meta)
    if (list === undefined) {
      list = []
      byMeta.set(meta, list)
    }
    list.push(pkValues(obj))
  }
  for (const [meta, pks] of byMeta) await loadRowsByPk(sdb, meta, pks)
}

/** The database changed this object's row behind the session: forget its stored values (and its place in loaded collections) so the next read of the row refills them. */
export function forgetStored(obj: HasState): void {
  const s = stateOf(obj)
  for (const attr of s.meta.slots) {
    if (attr.kind === 'primaryKey' || attr.columns.length === 0) continue
    if (attr.relation === 'toOne' && attr.reverse?.relation === 'toMany' && s.isLoaded(attr.index)) {
      const target = s.values[attr.index] as HasState | null
      if (target !== null) loadedItems(target, attr.reverse)?.delete(obj)
    }
    s.markUnloaded(attr.index)
  }
}
