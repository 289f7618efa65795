import { before, after, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  Database, dbSession, required, optional, Int, Decimal, Json, sql, MultipleObjectsFoundError, ObjectNotFound, OrmTypeError,
  TransactionError, MappingError, UnloadedError,
} from '../../runtime/index.js'
import { renderSql } from '../../runtime/raw-sql/render.js'
import { boundType, numberType } from '../../compiler/translate/param-shape.js'
import { dialectFor } from '../../dialects/index.js'
import { eachTarget } from '../support/databases.js'

it('renders placeholders per dialect, nests fragments and quotes identifiers (no database)', () => {
  const inner = sql`b = ${'x'} AND ${sql.id('we"ird`name')} IN (${sql.join([1, 2])})`
  const q = sql`SELECT * FROM ${sql.id('my table')} WHERE a = ${1} AND ${inner} OR c IS ${null}`
  assert.deepEqual(renderSql(q, dialectFor('postgres')), {
    sql: 'SELECT * FROM "my table" WHERE a = $1 AND b = $2 AND "we""ird`name" IN ($3, $4) OR c IS $5', params: [1, 'x', 1, 2, null],
  })
  assert.deepEqual(renderSql(q, dialectFor('mysql')), {
    sql: 'SELECT * FROM `my table` WHERE a = ? AND b = ? AND `we"ird``name` IN (?, ?) OR c IS ?', params: [1, 'x', 1, 2, null],
  })
  assert.equal(renderSql(sql`${true}`, dialectFor('sqlite')).params[0], 1)
  assert.equal(renderSql(sql`${{ a: [1] }}`, dialectFor('postgres')).params[0], '{"a":[1]}')
})

it('types an untyped number as the translator types the same param: an int only within 32 bits (no database)', () => {
  for (const n of [7, -2147483648, 2147483647, 2147483648, 3_000_000_000, -3_000_000_000, 2 ** 60, 2.5]) assert.equal(boundType(n), numberType(n))
  assert.deepEqual(renderSql(sql`${3_000_000_000} ${2 ** 60}`, dialectFor('postgres')).params, [3_000_000_000, 2 ** 60])
})

it('rejects values that are not primitives, Dates, bigints, bytes or plain JSON, and plain strings as queries', () => {
  const pg = dialectFor('postgres')
  class Point { x = 1 }
  for (const bad of [new Point(), new Map(), () => 1, Symbol('s'), new Set([1])]) {
    assert.throws(() => renderSql(sql`SELECT ${bad}`, pg), (e: unknown) => e instanceof OrmTypeError && /value #1 is a/.test((e as Error).message))
  }
  assert.throws(() => renderSql(sql`SELECT ${Number.NaN}`, pg), /NaN/)
  assert.throws(() => sql.id(''), OrmTypeError)
})

eachTarget('raw_sql', (target) => {
  const db = new Database(target.options)
  const { Person } = db.define({
    Person: { name: required(String, { maxLen: 60 }), age: required(Int), balance: optional(Decimal), born: optional(Date), tags: optional(Json()) },
  })
  before(async () => {
    await db.dropAllTables({ withAllData: true })
    await db.generateMapping({ createTables: true })
    await dbSession.run(async () => {
      new Person({ name: 'Ann', age: 30, balance: '12.50', born: new Date('1990-01-02T03:04:05.678Z'), tags: ['a'] })
      new Person({ name: "O'Brien", age: 41 })
      new Person({ name: 'Cy', age: 17 })
    })
  })
  after(() => db.disconnect())

  it('db.select binds values and returns objects keyed by column name with converted values', async () => {
    await dbSession.run(async () => {
      const rows = await db.select(sql`SELECT name, age, balance, born FROM ${sql.id('person')} WHERE age > ${18} AND name <> ${'nobody'} ORDER BY age`)
      assert.deepEqual(rows.map((r) => r.name), ['Ann', "O'Brien"])
      assert.equal(rows[0]!.age, 30)
      assert.equal(rows[0]!.balance, '12.5')
      if (target.provider !== 'sqlite') assert.deepEqual(rows[0]!.born, new Date('1990-01-02T03:04:05.678Z'))
      const [count] = await db.select(sql`SELECT COUNT(*) AS n, ${9007199254740993n} AS big FROM person`)
      assert.equal(count!.n, 3)
      assert.equal(typeof count!.big === 'bigint' || typeof count!.big === 'string', true)
      const cond = sql`age < ${20}`
      assert.deepEqual(await db.select(sql`SELECT name FROM person WHERE ${cond}`), [{ name: 'Cy' }])
      assert.deepEqual(await db.select(sql`SELECT name FROM person WHERE name = ${"O'Brien"}`), [{ name: "O'Brien" }])
    })
  })

  it('db.get wants exactly one row; db.exists says whether there is any', async () => {
    await dbSession.run(async () => {
      assert.deepEqual(await db.get(sql`SELECT age FROM person WHERE name = ${'Ann'}`), { age: 30 })
      await assert.rejects(() => db.get(sql`SELECT age FROM person WHERE name = ${'Zed'}`), ObjectNotFound)
      await assert.rejects(() => db.get(sql`SELECT age FROM person`), (e: unknown) => e instanceof MultipleObjectsFoundError && /3 rows/.test((e as Error).message))
      assert.equal(await db.exists(sql`SELECT 1 FROM person WHERE age > ${40}`), true)
      assert.equal(await db.exists(sql`SELECT 1 FROM person WHERE age > ${400}`), false)
    })
  })

  it('db.execute is a write inside the session: it returns the affected count and rolls back with the session', async () => {
    await assert.rejects(dbSession.run(async () => {
      assert.equal(await db.execute(sql`UPDATE person SET age = age + ${1} WHERE age < ${100}`), 3)
      throw new Error('abort')
    }), /abort/)
    await dbSession.run(async () => {
      assert.deepEqual(await db.get(sql`SELECT age FROM person WHERE name = ${'Cy'}`), { age: 17 })
    })
  })

  it('needs a dbSession, and a sql`…` template rather than a string', async () => {
    await assert.rejects(() => db.select(sql`SELECT 1`), TransactionError)
    await dbSession.run(async () => {
      await assert.rejects(() => db.select('SELECT 1' as never), OrmTypeError)
    })
  })

  it('flushes pending changes first, so raw SQL sees them', async () => {
    // the session rolls back through a thrown marker; any other error (a failed assertion) surfaces
    await assert.rejects(dbSession.run(async () => {
      new Person({ name: 'Dee', age: 5 })
      assert.equal(await db.exists(sql`SELECT 1 FROM person WHERE name = ${'Dee'}`), true)
      throw new Error('undo')
    }), /^Error: undo$/)
  })

  it('Entity.selectBySql and getBySql go through the identity map and map columns by name', async () => {
    await dbSession.run(async () => {
      const ann = (await Person.get({ name: 'Ann' }))!
      const found = await Person.selectBySql(sql`SELECT age, id, name FROM person WHERE age >= ${30} ORDER BY age`)
      assert.equal(found.length, 2)
      assert.equal(found[0], ann)
      assert.equal(found[1]!.name, "O'Brien")
      assert.equal(found[1]!.age, 41)
      assert.throws(() => found[1]!.balance, UnloadedError)
      await found[1]!.load()
      assert.equal(found[1]!.balance, null)
      const cy = await Person.getBySql(sql`SELECT * FROM person WHERE name = ${'Cy'}`)
      assert.equal(cy?.age, 17)
      assert.equal(await Person.getBySql(sql`SELECT * FROM person WHERE name = ${'Zed'}`), null)
      await assert.rejects(() => Person.getBySql(sql`SELECT * FROM person`), MultipleObjectsFoundError)
      await assert.rejects(() => Person.selectBySql(sql`SELECT name FROM person`), (e: unknown) => e instanceof MappingError && /'id'/.test((e as Error).message))
    })
  })
})
