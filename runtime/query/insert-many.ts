/**
 * `Entity.insertMany(rows)`: many rows in multi-row INSERTs. Every row is
 * validated first (nothing is sent if one is wrong); then rows with the same
 * columns go out in statements of as many rows as the flavor's `maxParams`
 * allows, inside the session's transaction, after a flush. No entity object
 * is created and no hook runs: the rows are read like any others later.
 * Loaded collections (and one-to-one reverses) of referenced objects that
 * this session holds are marked unloaded, since they gained rows.
 */
import { insertSql } from '../../compiler/dml.js'
import { OrmTypeError } from '../../compiler/errors.js'
import type { Database } from '../database.js'
import type { EntityMeta } from '../model/meta.js'
import { requireSession } from '../session/session.js'
import type { SessionDb } from '../session/session-db.js'
import { keyOf } from '../session/identity-map.js'
import { loadedItems } from '../entity/relations.js'
import { stateOf } from '../entity/state.js'
import { statementRanges } from '../session/persist.js'
import { rowValues, type RowValues } from './row-values.js'

/** Loaded reverse sides of references the new rows point to no longer hold every row: mark them unloaded. */
export function forgetReverseSides(sdb: SessionDb, meta: EntityMeta, rows: readonly RowValues[]): void {
  for (const attr of meta.slots) {
    const r = attr.reverse
    if (attr.relation !== 'toOne' || r === null) continue
    for (const row of rows) {
      const key = row.attrs.get(attr) as unknown[] | null | undefined
      if (key === null || key === undefined) continue
      const owner = sdb.identity.get(attr.target!, keyOf(key))
      if (owner === undefined || r.index >= stateOf(owner).values.length) continue
      if (r.relation === 'toMany') {
        if (loadedItems(owner, r) !== null) (owner as unknown as Record<string, { unload(): void }>)[r.name]!.unload()
      } else if (stateOf(owner).values[r.index] === null) {
        stateOf(owner).markUnloaded(r.index)
      }
    }
  }
}

/**
 * Validate and insert plain rows; returns how many were inserted.
 * @example
 * await Person.insertMany([{ name: 'A', age: 1 }, { name: 'B', age: 2 }])   // 2
 */
export async function insertMany(db: Database, meta: EntityMeta, rows: readonly unknown[]): Promise<number> {
  const sdb = requireSession(`${meta.name}.insertMany`).forDb(db)
  sdb.assertUsable()
  if (!Array.isArray(rows)) throw new OrmTypeError(`${meta.name}.insertMany takes an array of rows`)
  await sdb.flush()
  const prepared = rows.map((row) => rowValues(sdb, meta, row))
  const groups = new Map<string, RowValues[]>()
  for (const row of prepared) {
    const signature = row.columns.map((c) => c.name).join('\u0000')
    const list = groups.get(signature)
    if (list === undefined) groups.set(signature, [row])
    else list.push(row)
  }
  const { flavor, caps } = db.dialect
  let count = 0
  for (const group of groups.values()) {
    const names = group[0]!.columns.map((c) => c.name)
    const perStatement = caps.multiRowInsert && names.length > 0 ? flavor.caps.maxParams : names.length
    // the same row, parameter and byte limits as a flush's INSERTs (a MySQL packet has a size limit too)
    for (const [start, end] of statementRanges(group.map((r) => r.params), perStatement)) {
      const chunk = group.slice(start, end)
      const result = await sdb.execute(insertSql(flavor, meta.root, names, chunk.length), chunk.flatMap((r) => r.params), true)
      count += result.affected
    }
  }
  forgetReverseSides(sdb, meta, prepared)
  return count
}
