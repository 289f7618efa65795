/**
 * The fixed dataset of the three-way semantics tests, and the two worlds it
 * lives in: the database (inserted through pinto, read back through queries)
 * and the oracle (the same rows as plain JS objects, relations as plain
 * arrays and objects, so a query lambda can simply be called on them).
 *
 * The rows are chosen to hit every place where JavaScript and SQL disagree
 * (SEMANTICS.md): nulls, '', negative and fractional numbers, unicode with
 * astral characters, accents in NFC and NFD, case variants, trailing and
 * leading spaces, tabs and NBSP, `%`, `_`, `!`, quotes, backslashes, dates
 * with milliseconds (before 1970 and after 2038), JSON with nulls and arrays.
 */
import { after, before } from 'node:test'
import { Database, Int, Json, computed, dbSession, flush, optional, required, set, primaryKey } from '../../runtime/index.js'
import type { TestTarget } from '../support/databases.js'

// Date getters in a lambda mean UTC parts (API.md §7); the oracle runs them in JS, so JS must be in UTC too.
process.env.TZ = 'UTC'

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Row = any

export interface Extra { color?: string | null; tags?: (string | null)[]; n?: number | null; deep?: { k?: string | null } | null }

export function defineModel(db: Database) {
  return db.define({
    Person: {
      name: required(String, { autostrip: false }),
      age: required(Int),
      email: optional(String, { autostrip: false }),
      born: optional(Date),
      score: optional(Number),
      active: required(Boolean),
      nick: optional(String, { autostrip: false }),
      cars: set('Car', { reverse: 'owner' }),
      driving: set('Car', { reverse: 'driver' }),
      fullName: computed((p: { name: string; email: string | null }) => p.name + ' <' + (p.email ?? '') + '>'),
    },
    Car: {
      make: required(String, { autostrip: false }),
      model: required(String, { autostrip: false }),
      year: optional(Int),
      price: required(Number),
      owner: required('Person', { reverse: 'cars' }),
      driver: optional('Person', { reverse: 'driving' }),
      tags: set('Tag'),
      extra: optional(Json<Extra>()),
    },
    Tag: { name: primaryKey(String, { autostrip: false }), cars: set('Car') },
  })
}
export type Model = ReturnType<typeof defineModel>

const d = (iso: string): Date => new Date(iso)

/** People: `key` is the oracle's name for a row; ids are assigned by the database. */
export const PEOPLE: readonly Row[] = [
  { key: 'ann', name: 'Ann', age: 30, email: 'ann@x', born: d('1990-01-31T23:30:00.123Z'), score: 1.5, active: true, nick: '' },
  { key: 'ann_lower', name: 'ann', age: 17, email: null, born: null, score: null, active: false, nick: null },
  { key: 'ann_space', name: 'Ann ', age: 0, email: 'b%_!c', born: d('2000-12-01T00:00:00.000Z'), score: -2.5, active: true, nick: 'Ann' },
  { key: 'emile', name: 'Émile', age: 45, email: 'é@x', born: d('1979-06-15T12:34:56.789Z'), score: 2.5, active: false, nick: 'em' },
  { key: 'bob', name: '\tBob\u00a0', age: 7, email: 'ANN@X', born: null, score: 0, active: true, nick: 'b' },
  { key: 'off', name: '50%_off', age: 99, email: 'x', born: d('2024-02-29T08:00:00.000Z'), score: 5.5, active: true, nick: null },
  { key: 'quote', name: 'O\'Brien "q" \\ back', age: 64, email: 'it\'s', born: d('1969-07-20T20:17:40.001Z'), score: -0.75, active: false, nick: '\\' },
  { key: 'emoji', name: '😀 smile 𝒜', age: 12, email: 'e@x', born: d('2038-01-19T03:14:08.999Z'), score: 0.001, active: true, nick: 'a!b' },
  { key: 'nfd', name: 'e\u0301', age: 5, email: 'E@X', born: null, score: 100.25, active: false, nick: '\u00e9' },
  { key: 'accents', name: 'ÀÉÎ õü ß', age: 33, email: '', born: d('1999-12-31T23:59:59.999Z'), score: -7, active: true, nick: ' x ' },
  { key: 'zed', name: 'ZED', age: 1, email: 'z_d', born: d('2000-02-29T12:00:00.500Z'), score: 3.25, active: false, nick: 'Z' },
  { key: 'under', name: 'a_b!c', age: 2, email: 'ann@x ', born: d('1955-03-04T05:06:07.008Z'), score: -0.5, active: true, nick: 'ann' },
  { key: 'pct', name: '100%', age: 100, email: 'a%b', born: null, score: 7, active: true, nick: '%' },
]

export const TAGS: readonly string[] = ['red', 'fast', 'Red', 'it\'s', '😀']

export const CARS: readonly Row[] = [
  { key: 'golf', make: 'VW', model: 'Golf', year: 2001, price: 10, owner: 'ann', driver: null, extra: { color: 'red', tags: ['a', 'b'], n: 4 }, tags: ['red', 'fast'] },
  { key: 'polo', make: 'VW', model: 'Polo', year: null, price: 7.5, owner: 'ann', driver: 'ann_space', extra: null, tags: [] },
  { key: 'x5', make: 'BMW', model: 'X5', year: 1999, price: 30, owner: 'ann_space', driver: 'ann', extra: { color: 'blue', n: 1 }, tags: ['fast'] },
  { key: 'a4', make: 'Audi', model: 'A4', year: 2020, price: 0, owner: 'emile', driver: null, extra: { tags: [] }, tags: ['Red', 'it\'s'] },
  { key: 'mini', make: 'Mini', model: 'Cooper S', year: 1965, price: -3.25, owner: 'emile', driver: 'bob', extra: { color: null, n: -1.5 }, tags: ['😀'] },
  { key: 'beetle', make: 'VW', model: 'Käfer', year: null, price: 2.5, owner: 'quote', driver: 'quote', extra: { color: 'It\'s "r"\\', deep: { k: 'v' } }, tags: ['red'] },
  { key: 'tesla', make: 'Tesla', model: '3', year: 2021, price: 45000.75, owner: 'emoji', driver: null, extra: { color: 'Rot😀', n: 0, tags: ['x', null] }, tags: ['fast', 'red', 'Red'] },
  { key: 'zoe', make: 'Renault', model: 'Zoé', year: 2019, price: 100.125, owner: 'pct', driver: 'pct', extra: { n: 2.5, deep: { k: null } }, tags: [] },
  { key: 'twingo', make: 'Renault', model: '_%', year: 1993, price: 0.1, owner: 'pct', driver: 'emile', extra: { color: 'red', deep: null }, tags: ['it\'s'] },
]

/** The oracle's graph: the same rows as plain objects, relations as arrays/objects, computed attributes computed. */
export interface Oracle {
  people: Row[]
  cars: Row[]
  tags: Row[]
  person(key: string): Row
  car(key: string): Row
  tag(name: string): Row
}

export function buildOracle(ids: { people: Map<string, number>; cars: Map<string, number> }): Oracle {
  const people: Row[] = PEOPLE.map((p) => ({ ...p, id: ids.people.get(p.key)!, cars: [], driving: [] }))
  const byKey = new Map(people.map((p) => [p.key as string, p]))
  const tags: Row[] = TAGS.map((name) => ({ name, cars: [] }))
  const tagBy = new Map(tags.map((t) => [t.name as string, t]))
  const cars: Row[] = CARS.map((c) => {
    const car: Row = { ...c, id: ids.cars.get(c.key)!, owner: byKey.get(c.owner)!, driver: c.driver === null ? null : byKey.get(c.driver)!, tags: c.tags.map((t: string) => tagBy.get(t)!) }
    car.owner.cars.push(car)
    if (car.driver !== null) car.driver.driving.push(car)
    for (const t of car.tags) t.cars.push(car)
    return car
  })
  for (const p of people) p.fullName = p.name + ' <' + (p.email ?? '') + '>'
  return {
    people, cars, tags,
    person: (key) => byKey.get(key)!,
    car: (key) => cars.find((c) => c.key === key)!,
    tag: (name) => tagBy.get(name)!,
  }
}

/** An in-memory stand-in for an entity class, for subqueries written `Car.select(c => …).exists()` inside a lambda. */
export function memoryEntity(rows: () => Row[]) {
  return {
    select: (fn?: (x: Row) => unknown) => {
      const list = fn === undefined ? rows() : rows().filter((r) => fn(r))
      return { exists: () => list.length > 0, count: () => list.length }
    },
  }
}

/** Insert the dataset through pinto; resolves to the ids the database gave. */
export async function seed(model: Model): Promise<{ people: Map<string, number>; cars: Map<string, number> }> {
  const { Person, Car, Tag } = model
  return dbSession.run(async () => {
    const people = new Map<string, InstanceType<typeof Person>>()
    for (const { key, ...p } of PEOPLE) people.set(key, new Person(p))
    const tags = new Map(TAGS.map((name) => [name, new Tag({ name })]))
    const cars = new Map<string, InstanceType<typeof Car>>()
    for (const { key, owner, driver, tags: tagNames, ...c } of CARS) {
      cars.set(key, new Car({ ...c, owner: people.get(owner)!, driver: driver === null ? null : people.get(driver)!, tags: tagNames.map((t: string) => tags.get(t)!) }))
    }
    await flush()
    return {
      people: new Map([...people].map(([k, p]) => [k, p.id])),
      cars: new Map([...cars].map(([k, c]) => [k, c.id])),
    }
  })
}

/** The database for one target, with the model created and the dataset inserted before the suite; `world()` is ready inside tests. */
export function useWorld(target: TestTarget): { db: Database; model: Model; oracle: () => Oracle } {
  const db = new Database({ ...target.options, poolSize: 2, acquireTimeoutMs: 10000 })
  const model = defineModel(db)
  let oracle: Oracle | undefined
  before(async () => {
    await db.dropAllTables({ withAllData: true }).catch(() => undefined)
    await db.generateMapping({ createTables: true })
    oracle = buildOracle(await seed(model))
  })
  after(async () => {
    await db.dropAllTables({ withAllData: true })
    await db.disconnect()
  })
  return {
    db, model,
    oracle: () => {
      if (oracle === undefined) throw new Error('the dataset is not seeded yet')
      return oracle
    },
  }
}

/** A value in a comparable canonical form: Dates as ISO text, bigints as numbers, floats rounded to 9 significant digits, -0 as 0. */
export function canon(value: unknown): unknown {
  if (value === undefined) return null
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : Number.isInteger(value) ? value : Number(value.toPrecision(9))
  if (Array.isArray(value)) return value.map(canon)
  if (value !== null && typeof value === 'object') {
    if ('id' in value && typeof (value as { id: unknown }).id === 'number' && ('toDict' in value || 'key' in value)) return { entity: (value as { id: number }).id }
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canon(v)]))
  }
  return value
}
