/**
 * `delete()`, `delete({ bulk: true })` and `update(lambda)`. Without `bulk`,
 * each object is loaded and deleted through the unit of work (cascades,
 * hooks). The set-based forms flush, read the keys of the matching rows in
 * one SELECT, run one statement, then fix only the matching objects this
 * session holds: deleted ones are marked gone and evicted, updated ones are
 * read again with one `IN (…)` SELECT per `maxParams` keys.
 */
import { selectKeysOfSql } from '../../compiler/dml.js'
import type { QuerySpec, QueryTerminal } from '../../compiler/query-spec.js'
import { pkColumnsOf } from '../../compiler/schema.js'
import type { Database } from '../database.js'
import { requireSession } from '../session/session.js'
import type { SessionDb } from '../session/session-db.js'
import { detachFromLoaded, markDeleted } from '../session/deletion.js'
import { keyOf, pkValues } from '../session/identity-map.js'
import { stateOf, type HasState } from '../entity/state.js'
import { RowReader } from './hydrate.js'
import { fillRows, forgetStored } from './fill.js'
import { prepare, runQuery } from './run.js'

/** The objects of this session whose rows the query matches, found by one SELECT of their keys. */
async function heldObjectsMatching(db: Database, sdb: SessionDb, spec: QuerySpec): Promise<HasState[]> {
  const { compiled, params } = await prepare(db, { ...spec, terminal: { kind: 'rows' } })
  const shape = compiled.result.kind === 'rows' ? compiled.result.shape : null
  if (shape === null || shape.kind !== 'entity') return (await runQuery(db, { ...spec, terminal: { kind: 'rows' } })) as HasState[]
  const meta = db.schema.entities.get(shape.entity)!
  const sql = selectKeysOfSql(db.dialect.flavor, compiled.sql, pkColumnsOf(meta).names)
  const result = await sdb.execute(sql, params, false)
  const reader = new RowReader([], db.dialect)
  const out: HasState[] = []
  for (const row of result.rows) {
    reader.row = row
    reader.i = 0
    const obj = sdb.identity.get(meta, keyOf(meta.pk.map((a) => reader.attr(sdb, a))))
    if (obj !== undefined) out.push(obj)
  }
  return out
}

/** A row deleted in the database: the object is gone, out of the identity map and of loaded collections. */
function evictDeleted(sdb: SessionDb, obj: HasState): void {
  detachFromLoaded(obj)
  stateOf(obj).status = 'gone'
  sdb.identity.remove(obj, keyOf(pkValues(obj)))
}

/** Rows updated in the database: forget the stored values of these objects and read them again, batched per table. */
async function reload(sdb: SessionDb, objects: readonly HasState[]): Promise<void> {
  const stored = objects.filter((o) => stateOf(o).stored)
  for (const obj of stored) forgetStored(obj)
  await fillRows(sdb, stored, true)
}

/**
 * Run a delete or update over a query's rows; `terminal` null is the object-by-object delete.
 * @example
 * await bulkWrite(db, Person.select((p) => p.age > 99).spec, { kind: 'delete' })   // returns the count
 */
export async function bulkWrite(db: Database, spec: QuerySpec, terminal: QueryTerminal | null): Promise<number> {
  const sdb = requireSession('a set-based write').forDb(db)
  if (terminal === null) {
    const matching = (await runQuery(db, { ...spec, terminal: { kind: 'rows' } })) as HasState[]
    for (const obj of matching) markDeleted(sdb, obj)
    await sdb.flush()
    return matching.length
  }
  const held = await heldObjectsMatching(db, sdb, spec)
  const { compiled, params } = await prepare(db, { ...spec, terminal })
  const result = await sdb.execute(compiled.sql, params, true)
  if (terminal.kind === 'delete') for (const obj of held) evictDeleted(sdb, obj)
  else await reload(sdb, held)
  return result.affected
}
