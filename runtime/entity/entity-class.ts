/**
 * Making the class of one entity: a subclass of `Entity` (or of its base
 * entity's class) with a getter/setter per attribute on the prototype and
 * the static query methods. Attribute access goes straight to the object's
 * state slots, so reading `p.name` costs an array read and a flag.
 */
import { OrmTypeError } from '../../compiler/errors.js'
import type { Database } from '../database.js'
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import { readAttr, writeAttr } from './access.js'
import { collectionOf } from './collection.js'
import { DATABASE, Entity, META } from './entity.js'
import { entityStatics } from './statics.js'
import type { HasState } from './state.js'

function accessor(attr: AttrMeta): PropertyDescriptor {
  if (attr.kind === 'computed') {
    const fn = attr.computed as (obj: unknown) => unknown
    return { get(this: unknown) { return fn(this) }, enumerable: true, configurable: true }
  }
  if (attr.kind === 'set') {
    return {
      get(this: HasState) { return collectionOf(this, attr) },
      set() { throw new OrmTypeError(`${attr.qualifiedName} is a collection: use .add(), .remove() or .clear()`) },
      enumerable: true, configurable: true,
    }
  }
  return {
    get(this: HasState) { return readAttr(this, attr) },
    set(this: HasState, value: unknown) { writeAttr(this, attr, value) },
    enumerable: true, configurable: true,
  }
}

export function makeEntityClass(meta: EntityMeta, db: Database): unknown {
  const parent = (meta.base?.cls ?? Entity) as typeof Entity
  const cls = { [meta.name]: class extends parent {} }[meta.name]!
  Object.defineProperty(cls, META, { value: meta })
  Object.defineProperty(cls, DATABASE, { value: db })
  for (const attr of meta.attrs.values()) {
    if (attr.entity === meta) Object.defineProperty(cls.prototype, attr.name, accessor(attr))
  }
  const statics = entityStatics(db, meta) as unknown as Record<string, unknown>
  for (const [name, fn] of Object.entries(statics)) Object.defineProperty(cls, name, { value: fn, writable: true, configurable: true })
  meta.cls = cls
  return cls
}
