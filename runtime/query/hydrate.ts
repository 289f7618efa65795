/**
 * Rows to values. An entity row goes through the session's identity map: an
 * object already there is reused and only its unloaded attributes are filled
 * (changed ones keep the session's value; a read value the database now
 * contradicts is an UnrepeatableReadError); otherwise a new loaded object is
 * made, of the subclass the discriminator names. Foreign keys become stubs.
 */
import { OrmError, UnrepeatableReadError } from '../../compiler/errors.js'
import type { ValueShape } from '../../compiler/query-spec.js'
import type { Dialect } from '../../dialects/dialect.js'
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import type { Schema } from '../model/build-schema.js'
import { keyOf } from '../session/identity-map.js'
import type { SessionDb } from '../session/session-db.js'
import { blankObject, objectLabel, specialise, stubFor } from '../entity/objects.js'
import { sameValue } from '../entity/access.js'
import { loadedItems } from '../entity/relations.js'
import { stateOf, type HasState } from '../entity/state.js'

/** Reads consecutive columns of one row. */
export class RowReader {
  i = 0
  constructor(public row: readonly unknown[], readonly dialect: Dialect) {}
  raw(): unknown {
    return this.row[this.i++]
  }
  /** The value of `attr` (a scalar, a stub for a reference, or null). */
  attr(sdb: SessionDb, attr: AttrMeta): unknown {
    if (attr.relation !== 'toOne') {
      const v = this.raw()
      return v === null || v === undefined ? null : this.dialect.fromDb(v, attr.type!)
    }
    const target = attr.target!
    const pk: unknown[] = []
    let isNull = false
    for (const pkAttr of target.pk) {
      const v = this.attr(sdb, pkAttr)
      if (v === null) isNull = true
      pk.push(v)
    }
    return isNull ? null : stubFor(sdb, target, pk)
  }
}

/**
 * What hydrating rows of one attribute list needs, worked out once per list:
 * where the primary key sits among the values, which attributes a reverse
 * collection tracks, and which attributes each concrete entity owns.
 */
interface RowPlan {
  readonly meta: EntityMeta
  readonly attrs: readonly AttrMeta[]
  /** For each attribute of `meta.pk`, its position in `attrs` (-1 when the list lacks it: no object). */
  readonly pkAt: readonly number[]
  /** Per attribute: a reference whose reverse is a collection (a loaded one learns of the object). */
  readonly syncs: readonly boolean[]
  /** Per attribute: whether it is a slot of `meta` itself (a subclass's columns are not the base's). */
  readonly ownedByMeta: readonly boolean[]
  /** The same for the subclasses rows turn out to be of. */
  readonly ownedBySub: Map<EntityMeta, readonly boolean[]>
}

const plans = new WeakMap<readonly AttrMeta[], RowPlan>()

function planFor(meta: EntityMeta, attrs: readonly AttrMeta[]): RowPlan {
  const cached = plans.get(attrs)
  if (cached !== undefined && cached.meta === meta) return cached
  const plan: RowPlan = {
    meta,
    attrs,
    pkAt: meta.pk.map((p) => attrs.indexOf(p)),
    syncs: attrs.map((a) => a.relation === 'toOne' && a.reverse?.relation === 'toMany'),
    ownedByMeta: ownedMask(meta, attrs),
    ownedBySub: new Map(),
  }
  plans.set(attrs, plan)
  return plan
}

function ownedMask(actual: EntityMeta, attrs: readonly AttrMeta[]): boolean[] {
  return attrs.map((a) => actual.attrs.get(a.name) === a)
}

function ownedBy(plan: RowPlan, actual: EntityMeta): readonly boolean[] {
  if (actual === plan.meta) return plan.ownedByMeta
  let owned = plan.ownedBySub.get(actual)
  if (owned === undefined) {
    owned = ownedMask(actual, plan.attrs)
    plan.ownedBySub.set(actual, owned)
  }
  return owned
}

/** The values of `attrs` from the reader's current position. */
function readValues(sdb: SessionDb, attrs: readonly AttrMeta[], reader: RowReader): unknown[] {
  const values = new Array<unknown>(attrs.length)
  const row = reader.row
  const dialect = reader.dialect
  for (let k = 0; k < attrs.length; k++) {
    const attr = attrs[k]!
    if (attr.relation === 'toOne') {
      values[k] = reader.attr(sdb, attr)
      continue
    }
    const v = row[reader.i++]
    values[k] = v === null || v === undefined ? null : dialect.fromDb(v, attr.type!)
  }
  return values
}

/** The identity-map key of a row's primary key, or null when the row has none (an outer join's missing side). */
function rowKey(values: readonly unknown[], pkAt: readonly number[]): unknown {
  if (pkAt.length === 1) {
    const v = values[pkAt[0]!]
    if (v === null || v === undefined) return null
    return typeof v === 'object' ? keyOf([v]) : v
  }
  const pk = new Array<unknown>(pkAt.length)
  for (let j = 0; j < pkAt.length; j++) {
    const v = values[pkAt[j]!]
    if (v === null || v === undefined) return null
    pk[j] = v
  }
  return keyOf(pk)
}

/** One entity from the reader's current position: `attrs` columns, then the discriminator when asked. */
export function hydrateEntity(sdb: SessionDb, schema: Schema, meta: EntityMeta, attrs: readonly AttrMeta[], reader: RowReader, discriminator: boolean): HasState | null {
  return hydrateWith(sdb, schema, planFor(meta, attrs), reader, discriminator)
}

function hydrateWith(sdb: SessionDb, schema: Schema, plan: RowPlan, reader: RowReader, discriminator: boolean): HasState | null {
  const values = readValues(sdb, plan.attrs, reader)
  const kind = discriminator ? reader.raw() : null
  const key = rowKey(values, plan.pkAt)
  if (key === null) return null
  const meta = plan.meta
  const actual = typeof kind === 'string' ? (schema.entities.get(kind) ?? meta) : meta
  const table = sdb.identity.table(actual)
  let obj = table.get(key)
  if (obj === undefined) {
    obj = blankObject(actual, sdb, 'loaded')
    table.set(key, obj)
  } else {
    specialise(obj, actual)
  }
  const s = stateOf(obj)
  if (s.status === 'deleted' || s.status === 'gone') return obj
  const owned = ownedBy(plan, actual)
  const attrs = plan.attrs
  for (let k = 0; k < attrs.length; k++) {
    if (!owned[k]) continue
    const attr = attrs[k]!
    const i = attr.index
    const v = values[k]
    if (!s.isLoaded(i)) {
      s.setStored(i, v)
      if (plan.syncs[k] === true && v !== null) syncLoadedCollection(v as HasState, attr, obj)
    } else if (!s.isDirty(i) && !sameValue(s.dbValue(i), v) && attr.kind !== 'primaryKey') {
      if (s.wasRead(i) && !attr.volatile) {
        throw new UnrepeatableReadError(`${objectLabel(obj)}.${attr.name} was read as ${String(s.dbValue(i))} in this session and the database now holds ${String(v)}`)
      }
      s.setStored(i, v)
    }
  }
  if (s.status === 'unloaded') s.status = 'loaded'
  return obj
}

function syncLoadedCollection(owner: HasState, attr: AttrMeta, obj: HasState): void {
  loadedItems(owner, attr.reverse!)?.add(obj)
}

/** Turn one row into the value `shape` describes. */
export function readShape(sdb: SessionDb, schema: Schema, shape: ValueShape, reader: RowReader): unknown {
  switch (shape.kind) {
    case 'value': {
      const v = reader.raw()
      if (v === null || v === undefined) return null
      if (shape.type === 'count') return typeof v === 'number' ? v : Number(v)
      if (shape.type === 'unknown') return typeof v === 'bigint' && Number.isSafeInteger(Number(v)) ? Number(v) : v
      return reader.dialect.fromDb(v, shape.type)
    }
    case 'entity':
      return hydrateWith(sdb, schema, resolveShape(schema, shape), reader, shape.discriminator)
    case 'tuple':
      return shape.items.map((item) => readShape(sdb, schema, item, reader))
    case 'object': {
      const out: Record<string, unknown> = {}
      shape.items.forEach((item, i) => {
        out[shape.keys[i]!] = readShape(sdb, schema, item, reader)
      })
      return out
    }
  }
}

const resolved = new WeakMap<object, RowPlan>()

/** The row plan of the entity and attributes an entity shape names (resolved once per compiled shape). */
function resolveShape(schema: Schema, shape: Extract<ValueShape, { kind: 'entity' }>): RowPlan {
  let r = resolved.get(shape)
  if (r === undefined) {
    const meta = schema.entities.get(shape.entity)!
    const attrs = shape.attrs.map((name) => {
      for (const member of [meta, ...meta.family]) {
        const a = member.attrs.get(name)
        if (a !== undefined) return a
      }
      throw new OrmError(`internal: the compiled query names ${meta.name}.${name}, which the model does not have`)
    })
    r = planFor(meta, attrs)
    resolved.set(shape, r)
  }
  return r
}
