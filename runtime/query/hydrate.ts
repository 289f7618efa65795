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
import { STATE, type HasState } from '../entity/state.js'

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

/** One entity from the reader's current position: `attrs` columns, then the discriminator when asked. */
export function hydrateEntity(sdb: SessionDb, schema: Schema, meta: EntityMeta, attrs: readonly AttrMeta[], reader: RowReader, discriminator: boolean): HasState | null {
  const values = attrs.map((a) => reader.attr(sdb, a))
  const kind = discriminator ? reader.raw() : null
  const pkValues = meta.pk.map((p) => values[attrs.indexOf(p)])
  if (pkValues.some((v) => v === null || v === undefined)) return null
  const actual = typeof kind === 'string' ? (schema.entities.get(kind) ?? meta) : meta
  const key = keyOf(pkValues)
  let obj = sdb.identity.get(actual, key)
  if (obj === undefined) {
    obj = blankObject(actual, sdb, 'loaded')
    sdb.identity.add(obj, key)
  } else {
    specialise(obj, actual)
  }
  const s = obj[STATE]
  if (s.status === 'deleted' || s.status === 'gone') return obj
  for (let k = 0; k < attrs.length; k++) {
    const attr = attrs[k]!
    if (!actual.attrs.has(attr.name) || actual.attrs.get(attr.name) !== attr) continue
    const i = attr.index
    const v = values[k]
    if (s.loaded[i] !== true) {
      s.values[i] = v
      s.loaded[i] = true
      s.dbValues[i] = v
      if (attr.relation === 'toOne' && attr.reverse?.relation === 'toMany' && v !== null) {
        syncLoadedCollection(v as HasState, attr, obj)
      }
    } else if (!s.dirty.has(i) && !sameValue(s.dbValues[i], v) && attr.kind !== 'primaryKey') {
      if (s.read[i] === true && !attr.volatile) {
        throw new UnrepeatableReadError(`${objectLabel(obj)}.${attr.name} was read as ${String(s.dbValues[i])} in this session and the database now holds ${String(v)}`)
      }
      s.values[i] = v
      s.dbValues[i] = v
    }
  }
  if (s.status === 'unloaded') s.status = 'loaded'
  return obj
}

function syncLoadedCollection(owner: HasState, attr: AttrMeta, obj: HasState): void {
  const r = attr.reverse!
  const os = owner[STATE]
  if (r.index >= os.values.length) return
  const coll = os.values[r.index] as { loadedSet(): Set<HasState> | null } | undefined
  coll?.loadedSet()?.add(obj)
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
    case 'entity': {
      const { meta, attrs } = resolveShape(schema, shape)
      return hydrateEntity(sdb, schema, meta, attrs, reader, shape.discriminator)
    }
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

const resolved = new WeakMap<object, { meta: EntityMeta; attrs: AttrMeta[] }>()

/** The entity and attributes an entity shape names (resolved once per compiled shape). */
function resolveShape(schema: Schema, shape: Extract<ValueShape, { kind: 'entity' }>): { meta: EntityMeta; attrs: AttrMeta[] } {
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
    r = { meta, attrs }
    resolved.set(shape, r)
  }
  return r
}
