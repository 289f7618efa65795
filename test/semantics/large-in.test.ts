/**
 * Long `includes` lists on the real databases. A list param of more than
 * LONG_LIST (100) values is bound as ONE parameter holding the whole list
 * (PostgreSQL `= ANY($1)` with a typed array, SQLite `json_each(?)`, MariaDB
 * `JSON_TABLE(?, …)`), so a list longer than the bind-parameter limit works
 * (SQLite 32,766) and every long list of one kind shares one compiled
 * statement. Each query's rows are compared with the answer of the same
 * lambda run in JavaScript on the same rows (JS semantics: nulls in the list,
 * negation, empty lists).
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { compilerStats, resetCompilerStats } from '../../compiler/compile.js'
import { LONG_LIST } from '../../compiler/translate/param-shape.js'
import { Database, Int, dbSession, optional, required, set } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { useSeededModel } from '../support/tables.js'

/* eslint-disable @typescript-eslint/no-explicit-any */
type Row = any

function defineModel(db: Database) {
  return db.define({
    Owner: { name: required(String), items: set('Item') },
    Item: {
      code: required(String, { autostrip: false }),
      n: required(Int),
      note: optional(String, { autostrip: false }),
      when: optional(Date),
      big: optional(BigInt),
      flag: optional(Boolean),
      owner: optional('Owner'),
    },
  })
}

const N = 300
const OWNERS = 150
/** Strings that a loose comparison would confuse: case, trailing space, NFC/NFD, quotes, backslash, astral. */
const TRICKY = ['a', 'A', 'a ', 'é', 'e\u0301', "it's", '\\', '"q"', '😀']
const day = (i: number): Date => new Date(Date.UTC(2020, 0, 1, 0, 0, 0, i % 1000) + i * 86_400_000)

/** The rows, as plain objects the lambdas can also be run on. */
const ITEMS: readonly Row[] = Array.from({ length: N }, (_, k) => {
  const id = k + 1
  return {
    id,
    code: k < TRICKY.length ? TRICKY[k]! : `c${id}`,
    n: id % 7 === 0 ? -id : id,
    note: id % 5 === 0 ? null : `note${id % 40}`,
    when: id % 6 === 0 ? null : day(id),
    big: id % 9 === 0 ? null : 9_007_199_254_740_993n + BigInt(id),
    flag: id % 4 === 0 ? null : id % 2 === 0,
    owner: id % 3 === 0 ? null : ((id % OWNERS) + 1),
  }
})

/** The same row as the lambda sees it in JavaScript: the owner as an object with an id. */
const jsRows = ITEMS.map((r) => ({ ...r, owner: r.owner === null ? null : { id: r.owner } }))

eachTarget('large_in', (target) => {
  const { db, model } = useSeededModel(target, defineModel, (m) => [[m.Owner, Array.from({ length: OWNERS }, (_, i) => ({ id: i + 1, name: `o${i + 1}` }))], [m.Item, ITEMS]])
  const { Item } = model

  /** Ids of the rows the query selects, checked against the lambda run in JavaScript. */
  async function check(fn: (i: Row) => unknown, params: Record<string, unknown>, oracle: (i: Row) => unknown = fn): Promise<number[]> {
    const got = await dbSession.run(async () => (await Item.select(fn as never, params).fetch()).map((i: Row) => i.id as number))
    const expected = jsRows.filter((r) => Boolean(oracle(r))).map((r) => r.id as number)
    assert.deepEqual([...got].sort((a, b) => a - b), expected)
    return expected
  }

  /** Statements sent while `fn` runs. */
  async function captured(fn: () => Promise<unknown>): Promise<string[]> {
    const sql: string[] = []
    const listener = (e: { sql: string }): void => { sql.push(e.sql) }
    db.on('query', listener)
    try {
      await fn()
    } finally {
      db.off('query', listener)
    }
    return sql
  }

  it('70,000 ids (over every bind limit) select the right rows, with one bound parameter', async () => {
    const ids = Array.from({ length: 70_000 }, (_, i) => 2 * i + 1)
    const params: unknown[][] = []
    const listener = (e: { params: readonly unknown[] }): void => { params.push([...e.params]) }
    db.on('query', listener)
    try {
      const found = await check((i) => ids.includes(i.id), { ids })
      assert.equal(found.length, N / 2)
      await check((i) => !ids.includes(i.id), { ids })
      await check((i) => ids.includes(i.n) || ids.includes(i.id * 2), { ids })
    } finally {
      db.off('query', listener)
    }
    // One parameter per use of the list (plus the literal 2), never one per element; PostgreSQL's
    // numbered placeholders bind the list once and write `$1` at both uses.
    assert.deepEqual(params.map((p) => p.length), target.provider === 'postgres' ? [1, 1, 2] : [1, 1, 3])
    assert.equal(await dbSession.run(() => Item.select((i) => ids.includes(i.id), { ids }).count()), N / 2)
  })

  it('the threshold: up to 100 values an IN list of placeholders, above it one parameter', async () => {
    const short = Array.from({ length: LONG_LIST }, (_, i) => i + 1)
    const long = Array.from({ length: LONG_LIST + 1 }, (_, i) => i + 1)
    const byIds = (ids: number[]): Promise<number[]> => check((i) => ids.includes(i.id), { ids })
    const [a] = await captured(() => byIds(short))
    const [b] = await captured(() => byIds(long))
    assert.match(a!, /IN \([?$]/)
    assert.doesNotMatch(b!, /IN \([?$]/)
    assert.match(b!, /ANY\(|json_each|JSON_TABLE/)
  })

  it('two long lists of different lengths hit the same compiled statement', async () => {
    const run = (ids: number[]): Promise<number[]> => check((i) => ids.includes(i.id) && !ids.includes(i.n), { ids })
    await run(Array.from({ length: 150 }, (_, i) => i * 3))
    resetCompilerStats()
    const sql = await captured(async () => {
      await run(Array.from({ length: 200 }, (_, i) => i * 2))
      await run(Array.from({ length: 5_000 }, (_, i) => i * 5))
      await run(Array.from({ length: 40_000 }, (_, i) => i))
    })
    assert.deepEqual(compilerStats(), { parses: 0, translations: 0, cacheHits: 3 })
    assert.equal(new Set(sql).size, 1)
  })

  it('nulls in a long list: null rows are included, and excluded by the negation (SEMANTICS #14, #15)', async () => {
    const notes = [...Array.from({ length: 150 }, (_, i) => `note${i % 20}`), null]
    await check((i) => notes.includes(i.note), { notes })
    await check((i) => !notes.includes(i.note), { notes })
    await check((i) => !notes.includes(i.code) || notes.includes(i.note), { notes })
    const withoutNull = notes.slice(0, -1)
    await check((i) => withoutNull.includes(i.note), { withoutNull })
    await check((i) => !withoutNull.includes(i.note), { withoutNull })
    const onlyNulls = Array.from({ length: 150 }, () => null)
    await check((i) => onlyNulls.includes(i.note), { onlyNulls })
    await check((i) => !onlyNulls.includes(i.note), { onlyNulls })
  })

  it('empty lists are false, their negation true (SEMANTICS #16)', async () => {
    const none: string[] = []
    await check((i) => none.includes(i.note), { none })
    await check((i) => !none.includes(i.note), { none })
  })

  it('long string lists compare exactly: case, trailing spaces, NFC/NFD, quotes, backslashes', async () => {
    for (const pick of [['a'], ['A', 'é'], ['a ', 'e\u0301', "it's"], ['\\', '"q"', '😀']]) {
      const codes = [...pick, ...Array.from({ length: 150 }, (_, i) => `zz${i}`)]
      const hit = await check((i) => codes.includes(i.code), { codes })
      assert.equal(hit.length, pick.length, JSON.stringify(pick))
      await check((i) => !codes.includes(i.code), { codes })
    }
  })

  it('long lists of dates (milliseconds), bigints beyond 2^53, booleans and doubles', async () => {
    // Dates compare by value in a query (as `p.when === d` does), not by identity as Array#includes would.
    const whens = Array.from({ length: 120 }, (_, i) => day(i * 2 + 1))
    const times = new Set(whens.map((w) => w.getTime()))
    const hasWhen = (i: Row): boolean => i.when !== null && times.has(i.when.getTime())
    assert.equal((await check((i) => whens.includes(i.when), { whens }, hasWhen)).length, 120)
    await check((i) => !whens.includes(i.when), { whens }, (i) => !hasWhen(i))
    const offByOneMs = whens.map((w) => new Date(w.getTime() + 1))
    assert.deepEqual(await check((i) => offByOneMs.includes(i.when), { offByOneMs }, () => false), [])
    const bigs = Array.from({ length: 130 }, (_, i) => 9_007_199_254_740_993n + BigInt(i * 3))
    assert.ok((await check((i) => bigs.includes(i.big), { bigs })).length > 0)
    await check((i) => !bigs.includes(i.big), { bigs })
    const flags = Array.from({ length: 101 }, () => true)
    await check((i) => flags.includes(i.flag), { flags })
    await check((i) => !flags.includes(i.flag), { flags })
    // Doubles against an int column: 2.5 never equals an int, 4 does.
    const nums = [...Array.from({ length: 120 }, (_, i) => i + 0.5), 4, 8]
    assert.deepEqual(await check((i) => nums.includes(i.id), { nums }), [4, 8])
  })

  it('a long list of entities compares their primary keys', async () => {
    const owners = await dbSession.run(() => model.Owner.select((o) => o.id <= 120).fetch())
    assert.equal(owners.length, 120)
    const found = await dbSession.run(async () => (await Item.select((i) => owners.includes(i.owner!), { owners }).fetch()).map((i: Row) => i.id as number))
    const expected = ITEMS.filter((r) => r.owner !== null && r.owner <= 120).map((r) => r.id as number)
    assert.deepEqual([...found].sort((a, b) => a - b), expected)
    const notFound = await dbSession.run(() => Item.select((i) => !owners.includes(i.owner!), { owners }).count())
    assert.equal(notFound, N - expected.length)
  })

  it('.length of a long list is bound, not compiled in', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => i + 1)
    await check((i) => ids.length > 149 && i.id <= 3, { ids })
    const fewer = ids.slice(0, 140)
    await check((i) => fewer.length > 149 || i.id === 1, { ids: fewer, fewer })
  })
})
