/**
 * The loads that join same-tick batches (see `batch.ts`): a collection's
 * objects, an object by primary key (`Entity.get(pk)` misses and
 * `obj.load()`), and a one-to-one reverse. Each batch flushes pending
 * changes once, then reads every requested key with `IN (…)`. On a
 * synchronous driver a primary-key read does not wait for a batch.
 */
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import type { SessionDb } from '../session/session-db.js'
import type { HasState } from '../entity/state.js'
import { batched } from './batch.js'
import { fillCollections, fillReverseOnes } from './fill.js'
import { foundIn, loadByPkNow, loadRowsByPk } from './keys.js'

/**
 * The objects of `owner.attr` (a collection), batched with the same collection of other owners.
 * @example
 * await Promise.all(people.map((p) => loadCollectionInTick(sdb, p, carsAttr)))   // one SELECT
 */
export function loadCollectionInTick(sdb: SessionDb, owner: HasState, attr: AttrMeta): Promise<HasState[]> {
  return batched(sdb, `coll:${attr.qualifiedName}`, owner, async (owners: HasState[]) => {
    await sdb.flush()
    const found = await fillCollections(sdb, attr, owners)
    return owners.map((o) => found.get(o) ?? [])
  })
}

/**
 * The object of `meta` with primary key `pk`, or null; batched with other
 * keys of `meta`. A synchronous driver has no round trip to save: there, with
 * nothing to flush and the connection free, it is read at once.
 */
export function getByPkInTick(sdb: SessionDb, meta: EntityMeta, pk: readonly unknown[]): Promise<HasState | null> {
  if (sdb.db.dialect.caps.syncDriver) {
    try {
      const found = loadByPkNow(sdb, meta, pk)
      if (found !== undefined) return Promise.resolve(found)
    } catch (error) {
      return Promise.reject(error)
    }
  }
  return batched(sdb, `pk:${meta.name}`, pk, async (pks: (readonly unknown[])[]) => {
    if (!sdb.settled) await sdb.flush()
    const found = await loadRowsByPk(sdb, meta, pks)
    return pks.map((k) => foundIn(found, meta, k))
  })
}

/** `owner.attr` for a one-to-one reverse, or null; batched with the same attribute of other owners. */
export function loadReverseOneInTick(sdb: SessionDb, owner: HasState, attr: AttrMeta): Promise<HasState | null> {
  return batched(sdb, `rev:${attr.qualifiedName}`, owner, async (owners: HasState[]) => {
    await sdb.flush()
    const found = await fillReverseOnes(sdb, attr, owners)
    return owners.map((o) => found.get(o) ?? null)
  })
}
