/** Set-based writes: insertMany, upsert, bulk update and delete, with the identity map kept consistent. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { dbSession, flush, IntegrityError, TypeError as PintoTypeError, ValueError } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { capture, useModel } from '../runtime/model.js'

eachTarget('sc_setwrites', (target) => {
  const { db, model } = useModel(target)
  const { Person, Student, Car, Passport, Tag } = model

  describe('insertMany', () => {
    it('validates every row first, then inserts in multi-row statements within maxParams', async () => {
      await dbSession.run(async () => {
        await assert.rejects(() => Person.insertMany([{ name: 'Ok', age: 1 }, { name: 'Bad', age: -1 }]), ValueError)
        await assert.rejects(() => Person.insertMany([{ name: 'Ok', age: 1, wings: 2 } as never]), PintoTypeError)
        assert.equal(await Person.select().count(), 0)
        const rows = Array.from({ length: 3000 }, (_, i) => ({ name: `Im${i}`, age: i % 100 }))
        const { result, sql } = await capture(db, () => Person.insertMany(rows))
        assert.equal(result, 3000)
        const inserts = sql.filter((s) => s.startsWith('INSERT'))
        const params = db.dialect.flavor.caps.maxParams
        assert.ok(inserts.length >= 1 && inserts.length < 3000 / 100, `${inserts.length} INSERTs`)
        assert.ok(inserts.every((s) => (s.match(/\?|\$\d+/g) ?? []).length <= params))
        assert.equal(await Person.select((p) => p.name.startsWith('Im')).count(), 3000)
      })
    })

    it('takes references as objects or keys, creates no session objects, and unloads collections that gained rows', async () => {
      await dbSession.run(async () => {
        const owner = new Person({ name: 'Fleet', age: 50 })
        await owner.cars.load()
        assert.equal(owner.cars.size, 0)
        const n = await Car.insertMany([{ make: 'F1', owner }, { make: 'F2', owner: owner.id, year: 2001 }])
        assert.equal(n, 2)
        assert.equal(owner.cars.isLoaded, false)
        assert.deepEqual((await owner.cars.load()).map((c) => c.make).sort(), ['F1', 'F2'])
        await assert.rejects(() => Car.insertMany([{ make: 'F3', owner: 987654 }]), IntegrityError)
      })
    })
  })

  describe('upsert', () => {
    it('inserts, then updates the row with the same unique key, returning the session object', async () => {
      await dbSession.run(async () => {
        const a = await Person.upsert({ email: 'up@x', name: 'Up', age: 2 }, { conflict: ['email'] })
        assert.equal(a.name, 'Up')
        assert.equal(typeof a.id, 'number')
        const b = await Person.upsert({ email: 'up@x', name: 'Upper', age: 3 }, { conflict: ['email'] })
        assert.equal(b, a)
        assert.equal(a.name, 'Upper')
        assert.equal(a.age, 3)
        assert.equal(await Person.select((p) => p.email === 'up@x').count(), 1)
      })
      await dbSession.run(async () => {
        const p = (await Person.get({ email: 'up@x' }))!
        assert.equal(p.name, 'Upper')
        const same = await Person.upsert({ id: p.id, name: 'ById', age: 4 }, { conflict: ['id'] })
        assert.equal(same, p)
        assert.equal(p.name, 'ById')
        assert.equal(p.email, null)
        await assert.rejects(() => Person.upsert({ name: 'X', age: 1 }, { conflict: ['name'] }), /neither the primary key nor a unique key/)
      })
    })
  })

  describe('bulk update and delete', () => {
    it('update: one SELECT of keys, one UPDATE, one reload of the held objects with IN (…)', async () => {
      await dbSession.run(async () => {
        for (let i = 0; i < 30; i++) new Person({ name: `Bu${i}`, age: 60 + (i % 3) })
        await flush()
        const held = await Person.select((p) => p.name.startsWith('Bu')).fetch()
        const ages = held.map((p) => p.age)
        const { result, sql } = await capture(db, () => Person.select((p) => p.name.startsWith('Bu') && p.age > 60).update((p) => ({ age: p.age + 1 })))
        assert.equal(result, 20)
        assert.equal(sql.filter((s) => s.startsWith('SELECT')).length, 2, sql.join('\n'))
        assert.equal(sql.filter((s) => s.startsWith('UPDATE')).length, 1)
        held.forEach((p, i) => assert.equal(p.age, ages[i]! > 60 ? ages[i]! + 1 : ages[i]))
      })
    })

    it('delete({ bulk: true }): matching held objects are gone, out of the identity map and of loaded collections', async () => {
      await dbSession.run(async () => {
        const owner = new Person({ name: 'Bd', age: 1 })
        new Car({ make: 'Bd1', owner })
        const keep = new Car({ make: 'Bd2', owner })
        await flush()
        const cars = await owner.cars.load()
        const doomed = cars.find((c) => c.make === 'Bd1')!
        const id = doomed.id
        const { result, sql } = await capture(db, () => Car.select((c) => c.make === 'Bd1').delete({ bulk: true }))
        assert.equal(result, 1)
        assert.equal(sql.filter((s) => s.startsWith('DELETE')).length, 1)
        assert.deepEqual([...owner.cars], [keep])
        assert.equal(await Car.get(id), null)
        assert.throws(() => { doomed.make = 'x' }, /is deleted/)
      })
    })

    it('update: held objects of one hierarchy are read again in one SELECT, whatever their class', async () => {
      await dbSession.run(async () => {
        new Person({ name: 'Bh1', age: 40 })
        new Student({ name: 'Bh2', age: 41, gpa: 3.5 })
        await flush()
        const held = await Person.select((p) => p.name.startsWith('Bh')).orderBy((p) => p.name).fetch()
        const { sql } = await capture(db, () => Person.select((p) => p.name.startsWith('Bh')).update((p) => ({ age: p.age + 1 })))
        assert.equal(sql.filter((s) => s.startsWith('SELECT')).length, 2, sql.join('\n'))
        assert.deepEqual(held.map((p) => p.age), [41, 42])
        assert.equal((held[1] as InstanceType<typeof Student>).gpa, 3.5)
      })
    })

    it('delete({ bulk: true }): a deleted object leaves one-to-one reverses and many-to-many collections', async () => {
      await dbSession.run(async () => {
        const person = new Person({ name: 'Bo', age: 1 })
        new Passport({ number: 'BO-1', person })
        const car = new Car({ make: 'Bo1', owner: person })
        const tag = new Tag({ name: 'bo-tag' })
        car.tags.add(tag)
        await flush()
        await person.passport
        await tag.cars.load()
        await car.tags.load()
        assert.notEqual(person.passport, null)
        await Passport.select((p) => p.number === 'BO-1').delete({ bulk: true })
        assert.equal(person.passport, null)
        await Car.select((c) => c.make === 'Bo1').delete({ bulk: true })
        assert.deepEqual([...tag.cars], [])
      })
    })
  })
})
