/**
 * `Entity.selectBySql` and `Entity.getBySql`: rows of a raw query read as
 * objects of one entity through the session's identity map. Result columns
 * are matched to attributes by column name; the primary key's columns must
 * be there, other attributes are filled when all their columns are (the
 * rest stay unloaded until `await obj.load()`). An object already in the session
 * comes back as the same object.
 */
import { MappingError, MultipleObjectsFoundError } from '../../compiler/errors.js'
import { pkColumnsOf } from '../../compiler/schema.js'
import type { Database } from '../database.js'
import type { AttrMeta, EntityMeta } from '../model/meta.js'
import { hydrateEntity, RowReader } from '../query/hydrate.js'
import { stateOf, type HasState } from '../entity/state.js'
import { runFragment } from './run.js'

interface RowPlan {
  readonly attrs: AttrMeta[]
  /** Result column index for each column of `attrs`, then the discriminator's when present. */
  readonly positions: number[]
  readonly discriminator: boolean
}

function planRow(meta: EntityMeta, names: readonly string[]): RowPlan {
  const at = new Map<string, number>()
  names.forEach((n, i) => { if (!at.has(n)) at.set(n, i) })
  const missing = pkColumnsOf(meta).names.filter((c) => !at.has(c))
  if (missing.length > 0) {
    throw new MappingError(`${meta.name}.selectBySql: the result has no column ${missing.map((c) => `'${c}'`).join(', ')} of the primary key (columns: ${names.join(', ')})`)
  }
  const attrs: AttrMeta[] = []
  const positions: number[] = []
  const seen = new Set<AttrMeta>()
  for (const attr of [...meta.pk, ...meta.root.family.flatMap((m) => [...m.attrs.values()])]) {
    if (seen.has(attr) || attr.columns.length === 0 || !attr.columns.every((c) => at.has(c.name))) continue
    seen.add(attr)
    attrs.push(attr)
    for (const c of attr.columns) positions.push(at.get(c.name)!)
  }
  const disc = meta.root.discriminator
  const discriminator = disc !== null && at.has(disc)
  if (discriminator) positions.push(at.get(disc!)!)
  return { attrs, positions, discriminator }
}

/** Objects of `meta` for the rows of a raw query. */
export async function selectBySql(db: Database, meta: EntityMeta, query: unknown): Promise<HasState[]> {
  const { result, sdb } = await runFragment(db, query, `${meta.name}.selectBySql`, false)
  if (result.rows.length === 0) return []
  const plan = planRow(meta, (result.columns ?? []).map((c) => c.name))
  const reader = new RowReader([], db.dialect)
  const out: HasState[] = []
  for (const row of result.rows) {
    reader.row = plan.positions.map((p) => row[p])
    reader.i = 0
    const obj = hydrateEntity(sdb, db.schema, meta, plan.attrs, reader, plan.discriminator)
    if (obj !== null && meta.isSuperOf(stateOf(obj).meta)) out.push(obj)
  }
  return out
}

/** The one object of a raw query, null for none, MultipleObjectsFoundError for several. */
export async function getBySql(db: Database, meta: EntityMeta, query: unknown): Promise<HasState | null> {
  const found = await selectBySql(db, meta, query)
  if (found.length > 1) throw new MultipleObjectsFoundError(`${meta.name}.getBySql: the query returned ${found.length} objects (at most one was expected)`)
  return found[0] ?? null
}
