/**
 * Running one lambda both ways: through pinto on a database, and as plain
 * JavaScript over the oracle's objects. A case is a predicate (`filter`:
 * compare the ids of the rows kept) or an expression (`map`: compare the
 * value per row, rows ordered by id). Deliberate differences are never
 * silent: a case that meets one names it (`exception`) and gives the oracle
 * pinto's documented meaning, or leaves named rows out of both sides.
 * A filter must keep some rows and leave some out: a WHERE that was dropped
 * keeps every row, one that matches nothing by accident keeps none, and
 * either would agree with an oracle that does the same. A case whose point is
 * exactly none or all says so (`expect`), and has a sibling that keeps a
 * proper subset with the same construct.
 */
import assert from 'node:assert/strict'
import { dbSession } from '../../runtime/index.js'
import type { ProviderName } from '../../dialects/dialect.js'
import { canon, type Model, type Oracle, type Row } from './world.js'

export type EntityName = 'Person' | 'Car' | 'Tag'

/** Picks rows of the dataset by key: pinto objects on the database side, plain objects in the oracle. */
export interface Picker {
  person(key: string): Row
  car(key: string): Row
  tag(name: string): Row
}

export interface Case {
  readonly name: string
  readonly entity: EntityName
  readonly kind: 'filter' | 'map'
  readonly fn: (x: Row, $: Row) => unknown
  readonly params?: (pick: Picker) => Record<string, unknown>
  /**
   * A documented difference (README "deliberate exceptions"): the oracle computes pinto's meaning
   * instead, or named rows are left out; only on `providers` when given (elsewhere JavaScript's answer is expected).
   */
  readonly exception?: { readonly reason: string; readonly oracle?: (x: Row, $: Row) => unknown; readonly exceptRows?: readonly string[]; readonly providers?: readonly ProviderName[] }
  /** A known bug per database: the case is skipped, visibly, with this text. */
  readonly bug?: Partial<Record<ProviderName, string>>
  /** A filter that keeps no row or every row on purpose; without it such a filter fails the case. */
  readonly expect?: 'none' | 'all'
}

function oracleRows(oracle: Oracle, entity: EntityName): Row[] {
  const rows = entity === 'Person' ? oracle.people : entity === 'Car' ? oracle.cars : oracle.tags
  return [...rows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0))
}

/** The identity of a row: `id`, or a Tag's name. */
function keyOf(row: Row): number | string {
  return typeof row.id === 'number' ? row.id : row.name
}

function excluded(oracle: Oracle, c: Case): Set<number | string> {
  const out = new Set<number | string>()
  for (const key of c.exception?.exceptRows ?? []) {
    const row = oracle.people.find((p) => p.key === key) ?? oracle.cars.find((x) => x.key === key) ?? oracle.tags.find((t) => t.name === key)
    if (row === undefined) throw new Error(`case ${c.name}: no row '${key}' in the dataset`)
    out.add(keyOf(row))
  }
  return out
}

/** The rows a case runs over: the entity's rows but those it leaves out. */
function caseRows(oracle: Oracle, c: Case): Row[] {
  const skip = excluded(oracle, c)
  return oracleRows(oracle, c.entity).filter((r) => !skip.has(keyOf(r)))
}

/** A filter's result must be a proper, non-empty subset of its `of` rows, unless the case expects none or all, and then exactly that. */
export function checkSubset(c: Case, kept: number, of: number): void {
  if (c.kind !== 'filter') {
    assert.equal(c.expect, undefined, `${c.name}: expect is for filters`)
    return
  }
  const is = kept === 0 ? 'none' : kept === of ? 'all' : undefined
  if (c.expect !== undefined) assert.equal(is, c.expect, `${c.name}: expected to keep ${c.expect} of the ${of} rows, kept ${kept}`)
  else assert.equal(is, undefined, `${c.name}: keeps ${is} of the ${of} rows, so a dropped or never-matching WHERE would pass; choose values that keep some, or say expect: '${is}' and add a sibling that does`)
}

/** What the oracle says: ids kept (filter) or [id, value] pairs (map). */
export function expected(oracle: Oracle, c: Case): unknown {
  const fn = c.exception?.oracle ?? c.fn
  const params = c.params?.({ person: oracle.person, car: oracle.car, tag: oracle.tag }) ?? {}
  const rows = caseRows(oracle, c)
  return c.kind === 'filter'
    ? rows.filter((r) => Boolean(fn(r, params))).map(keyOf)
    : rows.map((r) => [keyOf(r), canon(fn(r, params))])
}

async function picker(model: Model): Promise<Picker> {
  const people = await model.Person.select().fetch()
  const cars = await model.Car.select().fetch()
  const tags = await model.Tag.select().fetch()
  return { person: (k) => people.find((p) => p.id === pinIds.people.get(k)), car: (k) => cars.find((c) => c.id === pinIds.cars.get(k)), tag: (n) => tags.find((t) => t.name === n) }
}

/** Ids by dataset key, filled from the oracle before the first case runs. */
const pinIds = { people: new Map<string, number>(), cars: new Map<string, number>() }

/** What the database says, through pinto. */
export async function actual(model: Model, oracle: Oracle, c: Case): Promise<unknown> {
  for (const p of oracle.people) pinIds.people.set(p.key, p.id)
  for (const x of oracle.cars) pinIds.cars.set(x.key, x.id)
  return dbSession.run(async () => {
    const params = c.params === undefined ? undefined : c.params(await picker(model))
    const entity = model[c.entity] as unknown as { select(fn?: unknown, params?: unknown): Row }
    const skip = excluded(oracle, c)
    if (c.kind === 'filter') {
      const rows: Row[] = await entity.select(c.fn, params).fetch()
      return rows.map(keyOf).filter((k) => !skip.has(k)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    }
    // Rows are matched by order of id; a Tag's key is text, whose order follows the collation (exception 3).
    if (c.entity === 'Tag') throw new Error(`${c.name}: map cases need a numeric id; write Tag cases as filters`)
    const ids: number[] = (await entity.select().fetch()).map(keyOf).sort((a: number, b: number) => a - b)
    const values: unknown[] = await entity.select().orderBy((x: Row) => x.id).map(c.fn, params).fetch()
    assert.equal(values.length, ids.length, `${c.name}: map gave ${values.length} rows for ${ids.length} objects`)
    return ids.map((id, i) => [id, canon(values[i])]).filter(([id]) => !skip.has(id as number | string))
  })
}

/** The case as it applies on one database: an exception limited to other databases is dropped. */
function onProvider(c: Case, provider: ProviderName | undefined): Case {
  const only = c.exception?.providers
  if (provider === undefined || only === undefined || only.includes(provider)) return c
  return { ...c, exception: undefined }
}

/** Run a case both ways and compare. */
export async function checkCase(model: Model, oracle: Oracle, c0: Case, provider?: ProviderName): Promise<void> {
  const c = onProvider(c0, provider)
  const want = expected(oracle, c)
  const got = await actual(model, oracle, c)
  assert.deepEqual(got, want, `${c.name}: database (actual) vs JavaScript (expected)`)
  checkSubset(c, (got as unknown[]).length, caseRows(oracle, c).length)
}
