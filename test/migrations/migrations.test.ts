import { it } from 'node:test'
import assert from 'node:assert/strict'
import { Database, dbSession, required, optional, set, Int, Enum, MappingError, DataLossRefused, sql } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { MigrationRefused } from '../../runtime/migrations/apply.js'
import { assertConverged, nextName, resetSchema, sharedOptions } from './helpers.js'

eachTarget('migrate', (target) => {
  const options = sharedOptions(target, 'migrate')
  const v1 = (db: Database) => db.define({
    Person: { name: required(String, { maxLen: 50 }), age: required(Int), nick: optional(String, { maxLen: 30 }), cars: set('Car') },
    Car: { make: required(String, { maxLen: 40 }), owner: required('Person') },
  })

  /** v1 created from scratch with two people and a car. */
  async function startV1(): Promise<void> {
    await resetSchema(options)
    const db = new Database(options)
    const { Person, Car } = v1(db)
    try {
      await db.generateMapping({ createTables: true })
      await dbSession.run(async () => {
        const ann = new Person({ name: 'Ann', age: 30, nick: 'annie' })
        new Person({ name: 'Bob', age: 40 })
        new Car({ make: 'Volvo', owner: ann })
      })
    } finally {
      await db.disconnect()
    }
  }

  async function withDb<T>(define: (db: Database) => unknown, fn: (db: Database) => Promise<T>): Promise<T> {
    const db = new Database(options)
    define(db)
    try {
      return await fn(db)
    } finally {
      await db.disconnect()
    }
  }

  it('additions: a column, a table, a unique key, an index, a relation with its foreign key, a link table', async () => {
    await startV1()
    const v2 = (db: Database) => db.define({
      Person: {
        name: required(String, { maxLen: 50, index: true }), age: required(Int), nick: optional(String, { maxLen: 30 }),
        email: optional(String, { maxLen: 80, unique: true }), cars: set('Car'), clubs: set('Club'), pets: set('Pet'),
      },
      Car: { make: required(String, { maxLen: 40 }), owner: required('Person') },
      Club: { title: required(String, { maxLen: 40 }), members: set('Person') },
      Pet: { kind: required(Enum(['cat', 'dog'])), owner: optional('Person') },
    })
    await withDb(v2, async (db) => {
      const plan = await db.migrations.plan()
      const kinds = new Set(plan.changes.map((c) => `${c.kind}:${c.table}`))
      for (const k of ['addColumn:person', 'createTable:club', 'createTable:pet', 'addIndex:person']) assert.ok(kinds.has(k), `${k} in ${[...kinds].join(' ')}`)
      assert.ok(plan.changes.some((c) => c.kind === 'createTable' && /club|person/.test(c.table) && c.table !== 'club'), 'the link table is created')
      assert.deepEqual(plan.dataLoss.filter((l) => l.rows > 0), [])
      const result = await db.migrations.apply({ name: nextName('additions') })
      assert.equal(result.applied, true)
      assert.deepEqual((await db.migrations.plan()).sql, [])
      const rows = await dbSession.run(() => db.select(sql`SELECT name, age, nick, email FROM person ORDER BY name`))
      assert.deepEqual(rows, [{ name: 'Ann', age: 30, nick: 'annie', email: null }, { name: 'Bob', age: 40, nick: null, email: null }])
      await assertConverged(options, db)
    })
  })

  it('widening types, optional columns, enum values, and a renamed column keep the data', async () => {
    await startV1()
    const v2 = (db: Database) => db.define({
      Person: { full_name: required(String, { maxLen: 100 }), age: optional(BigInt), nick: optional(String, { maxLen: 30 }), cars: set('Car') },
      Car: { make: required(String, { maxLen: 80 }), owner: required('Person') },
    })
    await withDb(v2, async (db) => {
      const plan = await db.migrations.plan({ renames: { 'person.name': 'full_name' } })
      const kinds = plan.changes.map((c) => `${c.kind}:${c.table}.${c.column ?? ''}`)
      for (const k of ['renameColumn:person.full_name', 'alterType:person.full_name', 'alterNullability:person.age', 'alterType:car.make']) assert.ok(kinds.includes(k), `${k} in ${kinds.join(' ')}`)
      assert.ok(!kinds.includes('dropColumn:person.name'))
      assert.deepEqual(plan.dataLoss.filter((l) => l.rows > 0), [], 'widening loses nothing')
      await db.migrations.apply({ name: nextName('widen'), renames: { 'person.name': 'full_name' } })
      assert.deepEqual((await db.migrations.plan()).sql, [])
      const rows = await dbSession.run(() => db.select(sql`SELECT full_name, age, nick FROM person ORDER BY full_name`))
      assert.deepEqual(rows, [{ full_name: 'Ann', age: 30, nick: 'annie' }, { full_name: 'Bob', age: 40, nick: null }])
      assert.deepEqual(await dbSession.run(() => db.select(sql`SELECT make FROM car`)), [{ make: 'Volvo' }])
      await assertConverged(options, db)
    })
  })

  it('refuses to lose data without allowDataLoss, naming table, column and rows; then drops when allowed', async () => {
    await startV1()
    const v2 = (db: Database) => db.define({
      Person: { name: required(String, { maxLen: 20 }), age: required(Int), nick: required(String, { maxLen: 30 }) },
    })
    await withDb(v2, async (db) => {
      const plan = await db.migrations.plan()
      const loss = Object.fromEntries(plan.dataLoss.map((l) => [`${l.table}.${l.column ?? '*'}`, l.rows]))
      assert.deepEqual(loss, { 'car.*': 1, 'person.name': 2, 'person.nick': 1 })
      await assert.rejects(() => db.migrations.apply({ name: nextName('lossy') }), (e: unknown) => {
        assert.ok(e instanceof DataLossRefused && e instanceof MigrationRefused && e instanceof MappingError)
        const m = (e as Error).message
        assert.match(m, /table 'car': 1 row\(s\) hold data \(the table is dropped\)/)
        assert.match(m, /column 'person\.name': 2 row\(s\) hold data \(the type changes/)
        assert.match(m, /column 'person\.nick': 1 row\(s\) hold data \(the column becomes required/)
        return true
      })
      assert.equal((await dbSession.run(() => db.select(sql`SELECT COUNT(*) AS n FROM car`)))[0]!.n, 1, 'nothing ran')
      await dbSession.run(() => db.execute(sql`UPDATE person SET nick = ${'-'} WHERE nick IS NULL`))
      const result = await db.migrations.apply({ name: nextName('lossy'), allowDataLoss: true })
      assert.equal(result.applied, true)
      assert.deepEqual(await dbSession.run(() => db.select(sql`SELECT name, nick FROM person ORDER BY name`)), [{ name: 'Ann', nick: 'annie' }, { name: 'Bob', nick: '-' }])
      await assertConverged(options, db)
    })
  })

  it('dropping a column and a table that hold no data needs no permission; a required column cannot be added to rows', async () => {
    await startV1()
    await withDb(v1, (db) => dbSession.run(async () => { await db.execute(sql`DELETE FROM car`); await db.execute(sql`UPDATE person SET nick = NULL`) }))
    const v2 = (db: Database) => db.define({ Person: { name: required(String, { maxLen: 50 }), age: required(Int) } })
    await withDb(v2, async (db) => {
      const plan = await db.migrations.plan()
      assert.ok(plan.changes.some((c) => c.kind === 'dropColumn' && c.column === 'nick'))
      assert.ok(plan.changes.some((c) => c.kind === 'dropTable' && c.table === 'car'))
      await db.migrations.apply({ name: nextName('drop-empty') })
      await assertConverged(options, db)
    })
    const v3 = (db: Database) => db.define({ Person: { name: required(String, { maxLen: 50 }), age: required(Int), score: required(Int) } })
    await withDb(v2, (db) => dbSession.run(async () => { await db.execute(sql`INSERT INTO person (name, age) VALUES (${'Cy'}, ${3})`) }))
    await withDb(v3, async (db) => {
      await assert.rejects(() => db.migrations.apply({ name: nextName('blocked'), allowDataLoss: true }), (e: unknown) => e instanceof MigrationRefused && !(e instanceof DataLossRefused) && e instanceof MappingError && /column 'person\.score' is required and has no default, and table 'person' has \d+ row/.test((e as Error).message))
    })
  })

  it('applying the same model twice is a no-op, and the history records each migration once', async () => {
    await startV1()
    const v2 = (db: Database) => db.define({
      Person: { name: required(String, { maxLen: 50 }), age: required(Int), nick: optional(String, { maxLen: 30 }), city: optional(String, { maxLen: 30 }), cars: set('Car') },
      Car: { make: required(String, { maxLen: 40 }), owner: required('Person') },
    })
    await withDb(v2, async (db) => {
      const name = nextName('city')
      const first = await db.migrations.apply({ name })
      assert.equal(first.applied, true)
      const second = await db.migrations.apply({ name: nextName('city-again') })
      assert.deepEqual(second, { applied: false, name: second.name, statements: [], changes: [], checksum: null })
      const history = await db.migrations.history()
      const entry = history.find((h) => h.name === name)
      assert.ok(entry !== undefined)
      assert.equal(entry.checksum, first.checksum)
      assert.deepEqual(entry.statements, first.statements)
      assert.equal(history.some((h) => h.name === second.name), false)
    })
  })

  it('removals between tables that stay: an index, a unique key, a relation with its foreign key', async () => {
    const withKeys = (db: Database) => db.define({
      Person: { name: required(String, { maxLen: 50, index: true }), age: required(Int), nick: optional(String, { maxLen: 30, unique: true }), cars: set('Car') },
      Car: { make: required(String, { maxLen: 40 }), owner: required('Person') },
    })
    await resetSchema(options)
    await withDb(withKeys, (db) => db.generateMapping({ createTables: true }))
    const without = (db: Database) => db.define({
      Person: { name: required(String, { maxLen: 50 }), age: required(Int), nick: optional(String, { maxLen: 30 }) },
      Car: { make: required(String, { maxLen: 40 }) },
    })
    await withDb(without, async (db) => {
      const kinds = (await db.migrations.plan()).changes.map((c) => `${c.kind}:${c.table}`)
      for (const k of ['dropIndex:person', 'dropForeignKey:car', 'dropColumn:car']) assert.ok(kinds.includes(k), `${k} in ${kinds.join(' ')}`)
      assert.equal(kinds.filter((k) => k === 'dropIndex:person').length, 2)
      await db.migrations.apply({ name: nextName('removals') })
      assert.deepEqual((await db.migrations.plan()).sql, [])
      await assertConverged(options, db)
    })
  })
})
