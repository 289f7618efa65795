/**
 * `query.prefetch(p => p.cars, p => p.cars.tags, c => c.owner)`: the named
 * relations of every result object are loaded so that reading or iterating
 * them afterwards sends no SQL. When the rows are one entity, the to-one
 * references a path starts with (`p.user`, `p.user.company`) are selected in
 * the main statement through joins (`joinLoads`); after it, whatever is still
 * unloaded along each path is loaded with batched `IN (…)` SELECTs, level by
 * level. A path is read from the lambda's source with the compiler's parser
 * (the lambda is never run): a chain of attribute names from the parameter,
 * `?.` allowed.
 */
import { lambdaText, parseLambda } from '../../compiler/compile.js'
import { TranslationError } from '../../compiler/errors.js'
import type { QueryOp, QuerySpec } from '../../compiler/query-spec.js'
import type { Expression } from '../../compiler/parse/estree.js'
import type { Database } from '../database.js'
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import type { SessionDb } from '../session/session-db.js'
import type { Collection } from '../entity/collection.js'
import type { Entity } from '../entity/entity.js'
import { loadedItems } from '../entity/relations.js'
import { stateOf, stateIfEntity, isEntityObject, type HasState, type ObjectState } from '../entity/state.js'
import { fillCollections, fillReverseOnes, fillRows, lacksRow } from './fill.js'

/** What a prefetch lambda sees: collections and references lead on to their objects' attributes. */
export type PrefetchNav<T> = { readonly [K in keyof T]-?: NavValue<NonNullable<T[K]>> }
type NavValue<V> = V extends Collection<infer X> ? PrefetchNav<X> : V extends Entity ? PrefetchNav<V> : V

/** A path of attribute names, such as ['cars', 'tags']. */
export type PrefetchPath = readonly string[]

function unchain(node: Expression): Expression {
  return node.type === 'ChainExpression' ? (node.expression as Expression) : node
}

/**
 * The attribute path a prefetch lambda names.
 * @example
 * prefetchPath((p: Person) => p.cars.tags)   // ['cars', 'tags']
 */
export function prefetchPath(fn: unknown): PrefetchPath {
  if (typeof fn !== 'function') throw new TranslationError('prefetch takes lambdas naming relations, such as p => p.cars')
  const parsed = parseLambda(lambdaText(fn as (...args: never[]) => unknown))
  const names: string[] = []
  let node = unchain(parsed.body)
  while (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') {
    names.unshift(node.property.name)
    node = unchain(node.object as Expression)
  }
  const param = parsed.params[0]?.name
  if (parsed.params.length !== 1 || names.length === 0 || node.type !== 'Identifier' || node.name !== param) {
    throw new TranslationError(`prefetch takes a path of relations from the lambda's parameter, such as p => p.cars or p => p.cars.tags; got ${parsed.text}`)
  }
  return names
}

function findAttr(meta: EntityMeta, name: string): AttrMeta | undefined {
  for (const member of [meta, ...meta.family]) {
    const attr = member.attrs.get(name)
    if (attr !== undefined) return attr
  }
  return undefined
}

function relationOf(meta: EntityMeta, name: string): AttrMeta {
  const attr = findAttr(meta, name)
  if (attr === undefined) throw new TranslationError(`prefetch: ${meta.name} has no attribute '${name}'`)
  if (attr.target === null || attr.relation === 'none') throw new TranslationError(`prefetch: ${attr.qualifiedName} is not a relation; prefetch names references and collections`)
  return attr
}

/** Check a path against the entity the query returns, when it is known before running. */
export function checkPath(db: Database, entity: string, path: PrefetchPath): void {
  let meta = db.schema.entities.get(entity)
  for (const name of path) {
    if (meta === undefined) return
    meta = relationOf(meta, name).target ?? undefined
  }
}

/** The leading chain of to-one references of `path` from `meta` (attributes of `meta` itself, not of its subclasses). */
function toOnePrefix(meta: EntityMeta, path: PrefetchPath): PrefetchPath {
  const out: string[] = []
  let at: EntityMeta | null = meta
  for (const name of path) {
    const attr: AttrMeta | undefined = at?.attrs.get(name)
    if (attr === undefined || attr.relation !== 'toOne' || attr.target === null) break
    out.push(name)
    at = attr.target
  }
  return out
}

/** The entity a spec's rows are, when it is one source entity read without projection or lock. */
function rowEntity(db: Database, spec: QuerySpec): EntityMeta | undefined {
  if (spec.sources.length !== 1) return undefined
  if (spec.ops.some((op) => op.op === 'map' || op.op === 'mapAttr' || op.op === 'forUpdate')) return undefined
  return db.schema.entities.get(spec.sources[0]!)
}

/**
 * The `joinLoad` ops that select the to-one starts of `paths` in the main
 * statement; none when the rows are not one entity, or are locked (a lock
 * would then reach the joined rows on some databases).
 * @example
 * joinLoads(db, postsSpec, [['user', 'posts'], ['tags']])   // [{ op: 'joinLoad', path: ['user'] }]
 */
export function joinLoads(db: Database, spec: QuerySpec, paths: readonly PrefetchPath[]): QueryOp[] {
  const meta = rowEntity(db, spec)
  if (meta === undefined) return []
  return paths.map((path) => toOnePrefix(meta, path)).filter((p) => p.length > 0).map((path) => ({ op: 'joinLoad', path }))
}

/**
 * Whether every object along `paths` from every row is loaded with its whole
 * row, each reference on the way loaded too: then prefetching would send
 * nothing. It is what the joins of the main statement leave for paths of
 * to-one references, and it spares `runPrefetch` its walk. A path through a
 * collection, or an object the session holds otherwise (a stub, deleted, a
 * row partly forgotten), answers false.
 */
export function pathsLoaded(rows: readonly unknown[], paths: readonly PrefetchPath[]): boolean {
  for (const path of paths) {
    // the attribute of each step, looked up again only when an object's entity differs from the last one's
    const metas: (EntityMeta | undefined)[] = []
    const attrs: (AttrMeta | undefined)[] = []
    for (const row of rows) {
      let s: ObjectState | null | undefined = stateIfEntity(row)
      for (let k = 0; k < path.length && s !== null; k++) {
        if (s === undefined || !hasWholeRow(s)) return false
        if (metas[k] !== s.meta) {
          metas[k] = s.meta
          attrs[k] = s.meta.attrs.get(path[k]!)
        }
        const attr = attrs[k]
        if (attr === undefined || !s.isLoaded(attr.index)) return false
        const next: unknown = s.values[attr.index]
        s = next === null ? null : stateIfEntity(next)
      }
      if (s !== null && (s === undefined || !hasWholeRow(s))) return false
    }
  }
  return true
}

function hasWholeRow(s: ObjectState): boolean {
  return s.status === 'loaded' && !lacksRow(s)
}

type Trie = Map<string, Trie>

function trieOf(paths: readonly PrefetchPath[]): Trie {
  const root: Trie = new Map()
  for (const path of paths) {
    let node = root
    for (const name of path) {
      let next = node.get(name)
      if (next === undefined) {
        next = new Map()
        node.set(name, next)
      }
      node = next
    }
  }
  return root
}

function live(obj: HasState): boolean {
  const status = stateOf(obj).status
  return status === 'loaded' || status === 'unloaded' || status === 'created'
}

/** Load one relation of `owners` that is not loaded yet; returns the objects it leads to. */
async function step(sdb: SessionDb, attr: AttrMeta, owners: HasState[]): Promise<HasState[]> {
  const i = attr.index
  switch (attr.relation) {
    case 'toOne': {
      await fillRows(sdb, owners)
      const targets = owners.map((o) => { const s = stateOf(o); return s.isLoaded(i) ? s.values[i] : null }).filter((t): t is HasState => t !== null && t !== undefined)
      await fillRows(sdb, targets)
      return targets
    }
    case 'toOneReverse': {
      await fillReverseOnes(sdb, attr, owners.filter((o) => !stateOf(o).isLoaded(i)))
      return owners.map((o) => stateOf(o).values[i]).filter((t): t is HasState => t !== null && t !== undefined)
    }
    default: {
      await fillCollections(sdb, attr, owners.filter((o) => loadedItems(o, attr) === null))
      return owners.flatMap((o) => [...(loadedItems(o, attr) ?? [])])
    }
  }
}

async function level(sdb: SessionDb, objects: readonly HasState[], trie: Trie): Promise<void> {
  for (const [name, sub] of trie) {
    const byAttr = new Map<AttrMeta, HasState[]>()
    for (const obj of objects) {
      const attr = stateOf(obj).meta.attrs.get(name)
      if (attr === undefined) continue
      relationOf(stateOf(obj).meta, name)
      const list = byAttr.get(attr)
      if (list === undefined) byAttr.set(attr, [obj])
      else list.push(obj)
    }
    const next = new Set<HasState>()
    for (const [attr, owners] of byAttr) for (const obj of await step(sdb, attr, owners)) if (live(obj)) next.add(obj)
    if (sub.size > 0) await level(sdb, [...next], sub)
  }
}

/**
 * Load the relations `paths` name for every entity object among `rows`.
 * @example
 * await runPrefetch(sdb, people, [['cars'], ['cars', 'tags']])   // two SELECTs however many people
 */
export async function runPrefetch(sdb: SessionDb, rows: readonly unknown[], paths: readonly PrefetchPath[]): Promise<void> {
  if (pathsLoaded(rows, paths)) return
  const objects = rows.filter((r): r is HasState => isEntityObject(r) && live(r as HasState))
  await level(sdb, [...new Set(objects)], trieOf(paths))
}
