/**
 * Plain rows for set-based inserts (`insertMany`, `upsert`): every value
 * validated as `new Entity(...)` would (types, required, maxLen, min/max,
 * checks, defaults), references given as objects or primary keys, then
 * turned into the columns and bound values of one INSERT row. No entity
 * object is made.
 */
import { aOrAn, OrmTypeError, ValueError } from '../../compiler/errors.js'
import type { ColumnInfo } from '../../compiler/schema.js'
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import type { SessionDb } from '../session/session-db.js'
import { checkInitKeys, FROM_DATABASE, givenOrDefault, objectLabel } from '../entity/objects.js'
import { unproxy, stateIfEntity, type HasState } from '../entity/state.js'
import { validateScalar } from '../entity/validate.js'
import { pkValues } from '../session/identity-map.js'
import { columnValues, pushAttrParams, pushColumnParams, pushDiscriminator } from './load.js'

export interface RowValues {
  readonly columns: ColumnInfo[]
  /** Bound values, one per column. */
  readonly params: unknown[]
  /** The validated value of each stored attribute given or defaulted (a reference: its primary-key values). */
  readonly attrs: Map<AttrMeta, unknown>
}

/** The primary-key values a reference stands for: an object of the target entity, or its key. */
function refKey(attr: AttrMeta, value: unknown): unknown[] | null {
  const given = unproxy(value)
  if (given === null || given === undefined) {
    if (!attr.nullable) throw new ValueError(`${attr.qualifiedName} is required: got ${given === null ? 'null' : 'undefined'}`)
    return null
  }
  const target = attr.target!
  const s = stateIfEntity(given)
  if (s !== undefined) {
    if (!target.isSuperOf(s.meta)) throw new OrmTypeError(`${attr.qualifiedName}: expected ${aOrAn(target.name)}, got ${aOrAn(s.meta.name)}`)
    const pk = pkValues(given as HasState)
    if (pk.some((v) => v === undefined)) throw new OrmTypeError(`${attr.qualifiedName}: ${objectLabel(given as HasState)} has no primary key yet`)
    return pk
  }
  const pk = target.pk.length === 1 ? [given] : Array.isArray(given) ? given : null
  if (pk === null || pk.length !== target.pk.length) throw new OrmTypeError(`${attr.qualifiedName}: expected ${aOrAn(target.name)} or its primary key`)
  return target.pk.map((p, i) => (p.relation === 'toOne' ? pk[i] : validateScalar(p, pk[i])))
}

/** Column values of a reference from its key. */
function refColumns(attr: AttrMeta, key: unknown[] | null): unknown[] {
  if (key === null) return attr.columns.map(() => null)
  const out: unknown[] = []
  attr.target!.pk.forEach((p, i) => columnValues(p, key[i], out))
  return out
}

/**
 * Validate one plain row for `meta` and give its INSERT columns and values.
 * @example
 * rowValues(sdb, personMeta, { name: 'Ann', age: 3 }).columns.map((c) => c.name)   // ['name', 'age', 'email', …]
 */
export function rowValues(sdb: SessionDb, meta: EntityMeta, row: unknown): RowValues {
  const init = checkInitKeys(meta, row)
  const columns: ColumnInfo[] = []
  const params: unknown[] = []
  const attrs = new Map<AttrMeta, unknown>()
  const dialect = sdb.db.dialect
  for (const attr of meta.slots) {
    const has = Object.hasOwn(init, attr.name) && init[attr.name] !== undefined
    if (attr.columns.length === 0) {
      if (has) throw new OrmTypeError(`${attr.qualifiedName} has no column in ${meta.name}'s table: set it on the objects after inserting`)
      continue
    }
    const value = givenOrDefault(attr, init)
    if (value === FROM_DATABASE) continue
    const model = attr.relation === 'toOne' ? refKey(attr, value) : validateScalar(attr, value)
    attrs.set(attr, model)
    if (attr.relation === 'toOne') pushColumnParams(dialect, attr.columns, refColumns(attr, model as unknown[] | null), params, columns)
    else pushAttrParams(dialect, attr, model, params, columns)
  }
  pushDiscriminator(meta, params, columns)
  return { columns, params, attrs }
}
