/** `prefetch` and same-tick batching: relations of many objects in a few `IN (…)` SELECTs, then no SQL while reading them. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { dbSession, TranslationError } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { capture, useModel } from '../runtime/model.js'

const selects = (sql: readonly string[]): string[] => sql.filter((s) => s.startsWith('SELECT'))

eachTarget('sc_prefetch', (target) => {
  const { db, model } = useModel(target)
  const { Person, Car, Tag, Passport } = model

  const seed = (): Promise<void> => dbSession.run(async () => {
    const tags = [new Tag({ name: 'pf-a' }), new Tag({ name: 'pf-b' })]
    for (let i = 0; i < 50; i++) {
      const p = new Person({ name: `Pf${i}`, age: 20 + (i % 5) })
      if (i % 10 === 0) new Passport({ number: `PF-${i}`, person: p })
      for (let k = 0; k < 2; k++) new Car({ make: `M${i}-${k}`, year: 2000 + k, owner: p, tags: k === 0 ? tags : [tags[1]!] })
    }
  })

  describe('prefetch', () => {
    it('loads to-many, many-to-many, nested and to-one relations in batches; reading them then sends no SQL', async () => {
      await seed()
      await dbSession.run(async () => {
        const { result: people, sql } = await capture(db, () => Person.select((p) => p.name.startsWith('Pf'))
          .prefetch((p) => p.cars, (p) => p.cars.tags, (p) => p.passport).fetch())
        assert.equal(people.length, 50)
        assert.equal(selects(sql).length, 4, sql.join('\n'))
        assert.ok(sql.some((s) => / IN \(/.test(s)))
        const { result: seen, sql: after } = await capture(db, async () => {
          let cars = 0
          let tags = 0
          let passports = 0
          for (const p of people) {
            for (const c of p.cars) {
              cars++
              tags += c.tags.size
            }
            if (p.passport !== null) passports++
          }
          return { cars, tags, passports }
        })
        assert.deepEqual(seen, { cars: 100, tags: 150, passports: 5 })
        assert.deepEqual(after, [])
      })
    })

    it('a to-one reference and its collections: c => c.owner.cars', async () => {
      await dbSession.run(async () => {
        const cars = await Car.select((c) => c.make.startsWith('M1')).prefetch((c) => c.owner.cars).fetch()
        assert.ok(cars.length > 0)
        const { result: names, sql } = await capture(db, async () => {
          for (const c of cars) assert.equal(c.owner.cars.size, 2)
          return cars.map((c) => c.owner.name)
        })
        assert.deepEqual(sql, [])
        assert.deepEqual(names, cars.map((c) => `Pf${c.make.slice(1, c.make.indexOf('-'))}`))
      })
    })

    it('splits the keys into statements of at most maxParams values', async () => {
      await dbSession.run(async () => {
        const maxParams = db.dialect.flavor.caps.maxParams
        const flavor = db.dialect.flavor as { caps: { maxParams: number } }
        const saved = flavor.caps
        flavor.caps = { ...saved, maxParams: 7 }
        try {
          const { result: people, sql } = await capture(db, () => Person.select((p) => p.name.startsWith('Pf')).prefetch((p) => p.cars).fetch())
          assert.equal(selects(sql).length, 1 + Math.ceil(50 / 7))
          assert.equal(people.reduce((n, p) => n + p.cars.size, 0), 100)
        } finally {
          flavor.caps = saved
        }
        assert.equal(db.dialect.flavor.caps.maxParams, maxParams)
      })
    })

    it('rejects a path that is not a chain of relations, when the query is built', () => {
      assert.throws(() => Person.select().prefetch((p) => p.name), (e: unknown) => e instanceof TranslationError && /Person\.name is not a relation/.test((e as Error).message))
      assert.throws(() => Person.select().prefetch((p) => p.cars.make), (e: unknown) => e instanceof TranslationError && /Car\.make is not a relation/.test((e as Error).message))
      assert.throws(() => Person.select().prefetch((p) => [p.cars]), /prefetch takes a path of relations/)
    })
  })

  describe('same-tick batching', () => {
    it('Promise.all over 50 collections sends one SELECT', async () => {
      await dbSession.run(async () => {
        const people = await Person.select((p) => p.name.startsWith('Pf')).fetch()
        const { result, sql } = await capture(db, () => Promise.all(people.map((p) => p.cars.load())))
        assert.equal(selects(sql).length, 1, sql.join('\n'))
        assert.equal(result.flat().length, 100)
        assert.ok(people.every((p, i) => p.cars.isLoaded && result[i]!.every((c) => c.owner === p)))
        const { result: tagLists, sql: tagSql } = await capture(db, () => Promise.all(result.flat().map((c) => c.tags.load())))
        assert.equal(selects(tagSql).length, 1)
        assert.equal(tagLists.flat().length, 150)
      })
    })

    it('unloaded references and Entity.get misses of one tick share a SELECT (on a networked database)', async () => {
      // A synchronous driver (SQLite) has no round trip to save: each primary-key read runs at once, one SELECT per key.
      const perKey = db.dialect.caps.syncDriver
      const ids = await dbSession.run(async () => (await Person.select((p) => p.name.startsWith('Pf')).fetch()).map((p) => p.id))
      await dbSession.run(async () => {
        const cars = await Car.select((c) => c.make.startsWith('M')).fetch()
        const owners = [...new Set(cars.map((c) => c.owner))]
        const { sql } = await capture(db, () => Promise.all(owners.map((o) => o.load())))
        const personReads = selects(sql).filter((s) => s.includes('"person"') || s.includes('`person`')).length
        assert.equal(personReads, perKey ? owners.length + 1 : 2, sql.join('\n'))
        assert.ok(owners.every((o) => o.name.startsWith('Pf')))
      })
      await dbSession.run(async () => {
        const { result, sql } = await capture(db, () => Promise.all([...ids, 987654].map((id) => Person.get(id))))
        assert.equal(selects(sql).length, perKey ? ids.length + 1 : 1, sql.join('\n'))
        assert.equal(result.at(-1), null)
        assert.deepEqual(result.slice(0, -1).map((p) => p!.id), ids)
      })
    })

    it('a load alone still reads by equality', async () => {
      await dbSession.run(async () => {
        const p = (await Person.select((x) => x.name === 'Pf1').first())!
        const { sql } = await capture(db, () => p.cars.load())
        assert.equal(sql.length, 1)
        assert.doesNotMatch(sql[0]!, / IN \(/)
      })
    })
  })
})
