/**
 * The unit of work: at a flush, pending changes become SQL in an order that
 * foreign keys accept. Pony's order: first every before-hook (a hook may
 * change or create objects, so this repeats until nothing new appears) and
 * the cascades of deletes; then link-row removals, inserts (an object after
 * the objects it references; a cycle through a nullable reference is broken
 * with a later UPDATE), updates, link-row additions, deletes (children
 * first); then every after-hook. A failed flush rolls the transaction back.
 * Updates of one shape share a statement (`updateObjects`), sent where the
 * single-row UPDATEs were. A flush at commit that writes one statement and
 * nothing else (one INSERT of new objects, or one single-row UPDATE) sends it
 * alone, without BEGIN and COMMIT, when no transaction is open: the statement
 * is atomic by itself, and it saves two round trips.
 */
import { ConstraintError, OrmError } from '../../compiler/errors.js'
import type { AttrMeta, HookName } from '../model/meta.js'
import { stateOf, type HasState } from '../entity/state.js'
import { objectLabel } from '../entity/objects.js'
import { loadChildren } from '../query/keys.js'
import { keyOf } from './identity-map.js'
import { deleteAllLinks, deleteLink, deleteObject, insertLink, insertObject, insertObjects, updateObjects } from './persist.js'
import type { SessionDb } from './session-db.js'
import { markDeleted, setReferenceNull } from './deletion.js'

/** Run `obj`'s hook `name`, if it has one; a promise only when the hook returned one (most objects have no hooks: no await per object). */
function hook(obj: HasState, name: HookName): Promise<unknown> | undefined {
  const fn = stateOf(obj).meta.hooks[name]
  if (fn === undefined) return undefined
  const result = (fn as (o: HasState) => unknown).call(obj, obj)
  return isThenable(result) ? Promise.resolve(result) : undefined
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

/** Run hook `name` of each object in order, awaiting only the hooks that return a promise. */
async function hooks(objs: Iterable<HasState>, name: (obj: HasState) => HookName): Promise<void> {
  for (const obj of objs) {
    const running = hook(obj, name(obj))
    if (running !== undefined) await running
  }
}

/**
 * For each to-many and one-to-one reverse attribute of `owners`, each owner's
 * children as the session sees them now: the rows read with one `loadChildren`
 * per attribute (owners never inserted, 'created' or dropped by a cascade to
 * 'gone', have none), plus the session's created and changed objects that
 * refer to the owner.
 */
async function childrenByAttr(sdb: SessionDb, owners: readonly HasState[]): Promise<Map<AttrMeta, Map<HasState, Set<HasState>>>> {
  const ownersOf = new Map<AttrMeta, HasState[]>()
  for (const obj of owners) {
    for (const attr of stateOf(obj).meta.slots) {
      if (attr.relation !== 'toMany' && attr.relation !== 'toOneReverse') continue
      const list = ownersOf.get(attr)
      if (list === undefined) ownersOf.set(attr, [obj])
      else list.push(obj)
    }
  }
  const out = new Map<AttrMeta, Map<HasState, Set<HasState>>>()
  for (const [attr, list] of ownersOf) {
    const r = attr.reverse!
    const loaded = await loadChildren(sdb, attr, list.filter((o) => { const status = stateOf(o).status; return status !== 'created' && status !== 'gone' }))
    const children = new Map(list.map((o) => [o, new Set(loaded.get(o))]))
    const target = attr.target!
    // slot r.index is this relation's reference only in objects of its target entity
    for (const pending of [sdb.created, sdb.modified]) {
      for (const child of pending) {
        const cs = stateOf(child)
        if (target.isSuperOf(cs.meta)) children.get(cs.values[r.index] as HasState)?.add(child)
      }
    }
    out.set(attr, children)
  }
  return out
}

/**
 * Follow deletes through relations: cascade, set null, or refuse with
 * ConstraintError. Wave by wave (the deletes not yet followed, then the
 * cascades they cause): the children of a wave are read with one SELECT per
 * relation, then the rules apply owner by owner, as one at a time would.
 */
async function expandDeletes(sdb: SessionDb, linkWipes: [HasState, AttrMeta][], done: Set<HasState>): Promise<void> {
  let queue = [...sdb.deleted]
  while (queue.length > 0) {
    const wave = [...new Set(queue)].filter((obj) => !done.has(obj))
    for (const obj of wave) done.add(obj)
    const childrenOf = await childrenByAttr(sdb, wave)
    queue = []
    for (const obj of wave) {
      for (const attr of stateOf(obj).meta.slots) {
        if (attr.relation === 'manyToMany') {
          linkWipes.push([obj, attr])
          continue
        }
        if (attr.relation !== 'toMany' && attr.relation !== 'toOneReverse') continue
        const r = attr.reverse!
        for (const child of childrenOf.get(attr)!.get(obj)!) {
          const s = stateOf(child)
          if (s.values[r.index] !== obj || s.status === 'deleted' || s.status === 'gone') continue
          if (attr.cascadeDelete) {
            markDeleted(sdb, child)
            queue.push(child)
          } else if (r.nullable) {
            setReferenceNull(sdb, child, r)
          } else {
            throw new ConstraintError(`cannot delete ${objectLabel(obj)}: ${objectLabel(child)} refers to it through ${r.qualifiedName}, which is required; delete ${objectLabel(child)} first, or declare ${attr.qualifiedName} with { cascadeDelete: true }`)
          }
        }
      }
    }
  }
}

function beforeHookOf(obj: HasState): HookName {
  const status = stateOf(obj).status
  return status === 'created' ? 'beforeInsert' : status === 'deleted' ? 'beforeDelete' : 'beforeUpdate'
}

/** Whether any entity of the model has a before-hook (most models have none: the flush then skips the hook rounds). */
function anyBeforeHooks(sdb: SessionDb): boolean {
  for (const meta of sdb.db.schema.entities.values()) {
    const h = meta.hooks
    if (h.beforeInsert !== undefined || h.beforeUpdate !== undefined || h.beforeDelete !== undefined) return true
  }
  return false
}

/** Run the before-hooks of pending objects not yet hooked, until hooks make no new ones; whether any object was hooked. */
async function runBeforeHooks(sdb: SessionDb, hooked: Set<HasState>): Promise<boolean> {
  if (!anyBeforeHooks(sdb)) return false
  let any = false
  for (;;) {
    const pending = [...sdb.created, ...sdb.modified, ...sdb.deleted].filter((o) => !hooked.has(o))
    if (pending.length === 0) return any
    any = true
    for (const obj of pending) hooked.add(obj)
    await hooks(pending, beforeHookOf)
  }
}

/** Deleted objects ordered so that an object referencing another deleted one goes first. */
function childrenFirst(deleted: HasState[]): HasState[] {
  const set = new Set(deleted)
  const refs = (o: HasState): HasState[] => stateOf(o).meta.slots
    .filter((a) => a.relation === 'toOne')
    .map((a) => stateOf(o).dbValue(a.index) as HasState | null)
    .filter((v): v is HasState => v !== null && v !== undefined && set.has(v) && v !== o)
  const out: HasState[] = []
  const visiting = new Set<HasState>()
  const visit = (o: HasState): void => {
    if (!set.has(o) || visiting.has(o)) return
    visiting.add(o)
    for (const parent of refs(o)) if (!visiting.has(parent)) visit(parent)
    set.delete(o)
    out.unshift(o)
  }
  for (const o of deleted) visit(o)
  return out
}

/** What most objects insert as null first: nothing (shared, never changed). */
const NO_NULL_REFS: ReadonlySet<AttrMeta> = new Set()

/** Created objects in an order foreign keys accept, each with the references it must insert as null first. */
function insertionOrder(created: HasState[]): { order: [HasState, ReadonlySet<AttrMeta>][]; deferred: [HasState, AttrMeta][] } {
  const inProgress = new Set<HasState>()
  const ordered = new Set<HasState>()
  const order: [HasState, ReadonlySet<AttrMeta>][] = []
  const deferred: [HasState, AttrMeta][] = []
  const visit = (obj: HasState): void => {
    const s = stateOf(obj)
    if (s.status !== 'created' || inProgress.has(obj)) return
    inProgress.add(obj)
    let nullRefs: Set<AttrMeta> | null = null
    for (const attr of s.meta.slots) {
      if (attr.relation !== 'toOne') continue
      const target = s.values[attr.index] as HasState | null | undefined
      if (target === null || target === undefined || stateOf(target).status !== 'created') continue
      if (inProgress.has(target) && !ordered.has(target)) {
        if (!attr.nullable) throw new OrmError(`cannot insert ${objectLabel(obj)}: its required ${attr.name} refers to ${objectLabel(target)}, which refers back to it; make one of the references optional`)
        nullRefs ??= new Set()
        nullRefs.add(attr)
        deferred.push([obj, attr])
      } else {
        visit(target)
      }
    }
    order.push([obj, nullRefs ?? NO_NULL_REFS])
    ordered.add(obj)
  }
  for (const obj of created) visit(obj)
  return { order, deferred }
}

/** Whether two objects' INSERTs send the same columns (same entity, same loaded column slots): then they share a statement. */
function sameInsertColumns(a: HasState, b: HasState): boolean {
  const sa = stateOf(a)
  const sb = stateOf(b)
  if (sa.meta !== sb.meta) return false
  for (const attr of sa.meta.slots) {
    if (attr.columns.length > 0 && (sa.isLoaded(attr.index)) !== (sb.isLoaded(attr.index))) return false
  }
  return true
}

/**
 * Insert in order, several rows per statement where the dialect allows: a run
 * of objects of one entity with the same columns, none referencing an object
 * of the same run (its key is not known until the run is inserted).
 */
async function insertAll(sdb: SessionDb, created: HasState[], alone: boolean): Promise<[HasState, AttrMeta][]> {
  const { order, deferred } = insertionOrder(created)
  const batching = sdb.db.dialect.caps.multiRowInsert
  let run: HasState[] = []
  let inRun = new Set<HasState>()
  let sent = false
  // `last`: the run is the round's last statements; with nothing sent before, they are all it writes
  const send = async (last: boolean): Promise<void> => {
    const sole = alone && last && !sent
    if (run.length > 0) sent = true
    if (run.length === 1) await insertObject(sdb, run[0]!, null, sole)
    else if (run.length > 1) await insertObjects(sdb, run, sole)
    run = []
    inRun = new Set()
  }
  for (const [obj, nullRefs] of order) {
    const last = run[run.length - 1]
    const s = stateOf(obj)
    const refersToRun = inRun.size > 0 && s.meta.slots.some((a) => a.relation === 'toOne' && inRun.has(s.values[a.index] as HasState))
    if (!batching || nullRefs.size > 0 || last === undefined || !sameInsertColumns(obj, last) || refersToRun) await send(false)
    if (nullRefs.size > 0) {
      sent = true
      await insertObject(sdb, obj, nullRefs, false)
      continue
    }
    run.push(obj)
    inRun.add(obj)
  }
  await send(true)
  return deferred
}

export async function flushChanges(sdb: SessionDb, atCommit: boolean): Promise<void> {
  try {
    for (let round = 0; sdb.hasChanges; round++) {
      if (round > 50) throw new OrmError('flush did not settle after 50 rounds: hooks keep creating or changing objects')
      await flushRound(sdb, atCommit && round === 0)
    }
  } catch (error) {
    await sdb.rollback().catch(() => undefined)
    throw error
  }
}

/**
 * Whether a round of these changes can write at most one statement and then
 * nothing else: only new objects (insertAll certifies whether they make one
 * INSERT) or only changed ones (updateObjects certifies a single-row UPDATE),
 * no deletes or links, and no after-hook that could make a second round.
 */
function soleWriteCandidate(created: readonly HasState[], modified: readonly HasState[], deleted: readonly HasState[], links: number): boolean {
  if (deleted.length > 0 || links > 0 || (created.length > 0) === (modified.length > 0)) return false
  for (const obj of created) if (stateOf(obj).meta.hooks.afterInsert !== undefined) return false
  for (const obj of modified) if (stateOf(obj).meta.hooks.afterUpdate !== undefined) return false
  return true
}

/** One round; `atCommit`: the session commits right after it, so a round that writes one statement may write it alone (autocommit). */
async function flushRound(sdb: SessionDb, atCommit: boolean): Promise<void> {
  const hooked = new Set<HasState>()
  const expanded = new Set<HasState>()
  const linkWipes: [HasState, AttrMeta][] = []
  do {
    await expandDeletes(sdb, linkWipes, expanded)
  } while (await runBeforeHooks(sdb, hooked))
  const created = [...sdb.created]
  const modified = [...sdb.modified].filter((o) => stateOf(o).stored)
  const deleted = [...sdb.deleted]
  const adds = [...sdb.linkAdds.values()]
  const removes = [...sdb.linkRemoves.values()]
  sdb.created.clear()
  sdb.modified.clear()
  sdb.deleted.clear()
  sdb.linkAdds.clear()
  sdb.linkRemoves.clear()
  const optimistic = sdb.session.optimistic
  const alone = atCommit && soleWriteCandidate(created, modified, deleted, adds.length + removes.length + linkWipes.length)
  const wiped = new Set(linkWipes.map(([o]) => o))
  for (const change of removes) if (!wiped.has(change.owner) && !wiped.has(change.target)) await deleteLink(sdb, change)
  for (const [obj, attr] of linkWipes) if (stateOf(obj).status !== 'created') await deleteAllLinks(sdb, obj, attr)
  const deferred = await insertAll(sdb, created, alone)
  await updateObjects(sdb, modified, optimistic, alone)
  for (const [obj, attr] of deferred) stateOf(obj).markDirty(attr.index)
  await updateObjects(sdb, [...new Set(deferred.map(([obj]) => obj))], false, false)
  for (const change of adds) if (!wiped.has(change.owner) && !wiped.has(change.target)) await insertLink(sdb, change)
  for (const obj of childrenFirst(deleted)) {
    if (stateOf(obj).status === 'created') {
      stateOf(obj).status = 'gone'
      continue
    }
    await deleteObject(sdb, obj, optimistic)
    const s = stateOf(obj)
    sdb.identity.remove(obj, keyOf(s.meta.pk.map((a) => s.values[a.index])))
  }
  await hooks(created, () => 'afterInsert')
  await hooks(modified, () => 'afterUpdate')
  await hooks(deleted, () => 'afterDelete')
}
