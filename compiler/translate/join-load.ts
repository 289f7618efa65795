/**
 * Prefetch through joins. The `joinLoad` paths of a query name chains of
 * to-one references from the entity its rows are (`p => p.user.company`).
 * Each becomes entity references, one for every object along the path and
 * each prefix once, in op order: `[user, user.company]`. Lowering selects
 * their columns beside the row's own, through the joins the paths need (the
 * same joins a filter reading `p.user.age` makes, so they are shared).
 */
import { TranslationError } from '../errors.js'
import type { AttrInfo } from '../schema.js'
import { node, type EntityRef, type Value } from './ir.js'

function toOne(from: EntityRef, name: string): AttrInfo {
  const attr = from.entity.attrs.get(name)
  if (attr === undefined || attr.relation !== 'toOne' || attr.target === null) {
    throw new TranslationError(`prefetch through a join: ${from.entity.name}.${name} is not a to-one reference.`)
  }
  return attr
}

function step(from: EntityRef, attr: AttrInfo): EntityRef {
  return node({ kind: 'entityRef', entity: attr.target!, base: from.base, path: [...from.path, attr], nullable: from.nullable || attr.nullable })
}

/**
 * The objects `paths` load beside the rows of `value`.
 * @example
 * loadRefs(postValue, [['user', 'company'], ['user']])   // refs p.user, p.user.company
 */
export function loadRefs(value: Value, paths: readonly (readonly string[])[]): EntityRef[] {
  if (paths.length === 0) return []
  if (value.kind !== 'entity' || value.ref.kind !== 'entityRef') {
    throw new TranslationError('prefetch through a join needs a query whose rows are one entity.')
  }
  const out = new Map<string, EntityRef>()
  for (const path of paths) {
    let ref: EntityRef = value.ref
    let key = ''
    for (const name of path) {
      key += `.${name}`
      const known = out.get(key)
      ref = known ?? step(ref, toOne(ref, name))
      if (known === undefined) out.set(key, ref)
    }
  }
  return [...out.values()]
}
