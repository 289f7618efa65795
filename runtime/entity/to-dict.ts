/**
 * `obj.toDict()`: the loaded attributes as a plain object (Pony's to_dict).
 * References become primary keys (or nested dicts with `relatedObjects`),
 * collections are left out unless `withCollections` (then loaded ones only).
 */
import { stateOf, isEntityObject, type HasState } from './state.js'
import { loadedItems } from './relations.js'

export interface ToDictOptions {
  readonly only?: readonly string[]
  readonly exclude?: readonly string[]
  readonly withCollections?: boolean
  readonly relatedObjects?: boolean
  readonly withLazy?: boolean
}

function pkOf(obj: HasState): unknown {
  const s = stateOf(obj)
  const values = s.meta.pk.map((a) => {
    const v = s.values[a.index]
    return isEntityObject(v) ? pkOf(v as HasState) : v
  })
  return values.length === 1 ? values[0] : values
}

export function toDict(obj: HasState, options: ToDictOptions): Record<string, unknown> {
  const s = stateOf(obj)
  const out: Record<string, unknown> = {}
  for (const attr of s.meta.attrs.values()) {
    if (options.only !== undefined && !options.only.includes(attr.name)) continue
    if (options.exclude?.includes(attr.name) === true) continue
    if (attr.kind === 'computed') continue
    if (attr.kind === 'set') {
      if (options.withCollections !== true) continue
      const items = loadedItems(obj, attr)
      if (items === null) continue
      out[attr.name] = [...items].map((item) => (options.relatedObjects === true ? item : pkOf(item)))
      continue
    }
    if (!s.isLoaded(attr.index)) continue
    const value = s.values[attr.index]
    if (attr.relation === 'toOne' || attr.relation === 'toOneReverse') {
      out[attr.name] = value === null || value === undefined ? null : options.relatedObjects === true ? value : pkOf(value as HasState)
    } else {
      out[attr.name] = value
    }
  }
  return out
}
