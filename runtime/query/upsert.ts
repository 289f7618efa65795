/**
 * `Entity.upsert(values, { conflict: ['email'] })`: insert a row, or update
 * the row that already has the same primary key or unique key, in one
 * statement (`ON CONFLICT … DO UPDATE` on SQLite and PostgreSQL, `ON
 * DUPLICATE KEY UPDATE` on MySQL/MariaDB, where any unique key counts).
 * The values are validated first; the row is then read back by the conflict
 * key through the identity map, so the object returned is the session's
 * object for that row, with the values just written.
 */
import { entityRowAttrs, selectByColumnsSql, upsertSql, type UpsertStyle } from '../../compiler/dml.js'
import { aOrAn, OrmTypeError } from '../../compiler/errors.js'
import { pkColumnsOf } from '../../compiler/schema.js'
import type { ProviderName } from '../../dialects/dialect.js'
import type { Database } from '../database.js'
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import { requireSession } from '../session/session.js'
import type { SessionDb } from '../session/session-db.js'
import { keyOf } from '../session/identity-map.js'
import type { HasState } from '../entity/state.js'
import { stubFor } from '../entity/objects.js'
import { hydrateEntity, RowReader } from './hydrate.js'
import { attrTests } from './load.js'
import { forgetStored } from './fill.js'
import { forgetReverseSides } from './insert-many.js'
import { rowValues } from './row-values.js'

/** How each database spells an upsert (a Record, so a new provider must choose). */
const UPSERT_STYLE: Readonly<Record<ProviderName, UpsertStyle>> = { sqlite: 'onConflict', postgres: 'onConflict', mysql: 'onDuplicateKey' }

function conflictAttrs(meta: EntityMeta, names: readonly string[]): AttrMeta[] {
  const attrs = names.map((name) => {
    const attr = meta.attrs.get(name)
    if (attr === undefined || attr.columns.length === 0) throw new OrmTypeError(`${meta.name}.upsert: '${name}' is not a stored attribute of ${meta.name}`)
    return attr
  })
  const same = (key: readonly AttrMeta[]): boolean => key.length === attrs.length && key.every((a) => attrs.includes(a))
  if (attrs.length === 0 || !(same(meta.pk) || meta.uniques.some(same))) {
    throw new OrmTypeError(`${meta.name}.upsert: conflict [${names.join(', ')}] is neither the primary key nor a unique key of ${meta.name}`)
  }
  return attrs
}

/** Read the row with these attribute values, refreshing the session's object for it. */
async function readBack(sdb: SessionDb, meta: EntityMeta, attrs: readonly AttrMeta[], values: readonly unknown[]): Promise<HasState | null> {
  const db = sdb.db
  const { tests, params } = attrTests(db, attrs, values)
  const discriminators = meta.discriminatorValues
  const result = await sdb.execute(selectByColumnsSql(db.dialect.flavor, meta, tests, { discriminatorValues: discriminators }), [...params, ...(discriminators ?? [])], false)
  const row = result.rows[0]
  if (row === undefined) return null
  const reader = new RowReader(row, db.dialect)
  const held = sdb.identity.get(meta, keyOf(meta.pk.map((a) => reader.attr(sdb, a))))
  if (held !== undefined) forgetStored(held)
  reader.i = 0
  return hydrateEntity(sdb, db.schema, meta, entityRowAttrs(meta) as AttrMeta[], reader, meta.root.discriminator !== null)
}

/**
 * Insert or update one row; returns the session's object for it.
 * @example
 * const p = await Person.upsert({ email: 'a@x', name: 'A', age: 2 }, { conflict: ['email'] })
 */
export async function upsert(db: Database, meta: EntityMeta, values: unknown, options: { readonly conflict: readonly string[] }): Promise<HasState> {
  const sdb = requireSession(`${meta.name}.upsert`).forDb(db)
  sdb.assertUsable()
  const attrs = conflictAttrs(meta, options?.conflict ?? [])
  await sdb.flush()
  const row = rowValues(sdb, meta, values)
  for (const attr of attrs) if (!row.attrs.has(attr)) throw new OrmTypeError(`${meta.name}.upsert: the conflict attribute '${attr.name}' needs a value`)
  const conflictCols = attrs.flatMap((a) => a.columns.map((c) => c.name))
  const keep = new Set([...conflictCols, ...pkColumnsOf(meta).names])
  const names = row.columns.map((c) => c.name)
  const sql = upsertSql(db.dialect.flavor, UPSERT_STYLE[db.dialect.name], meta.root.table, names, conflictCols, names.filter((n) => !keep.has(n) && n !== meta.root.discriminator))
  await sdb.execute(sql, row.params, true)
  forgetReverseSides(sdb, meta, [row])
  const keyValues = attrs.map((a) => row.attrs.get(a))
  const obj = await readBack(sdb, meta, attrs, attrs.map((a, i) => (a.relation === 'toOne' ? refObject(sdb, a, keyValues[i]) : keyValues[i])))
  if (obj === null) throw new OrmTypeError(`${meta.name}.upsert: the row was written but cannot be read back as ${aOrAn(meta.name)}`)
  return obj
}

function refObject(sdb: SessionDb, attr: AttrMeta, key: unknown): unknown {
  if (key === null || key === undefined) return null
  return stubFor(sdb, attr.target!, key as unknown[])
}
