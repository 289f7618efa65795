import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import {
  Database, dbSession, flush, optional, required, set, ValueError, TypeError as PintoTypeError, OrmError, CacheIndexError, IntegrityError, UnloadedError,
  ConstraintError, MultipleObjectsFoundError, ObjectNotFound,
} from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { capture, hookLog, useModel } from './model.js'
import { useTables } from '../support/tables.js'

eachTarget('rt_entities', (target) => {
  const { db, model } = useModel(target)
  const { Person, Student, Car, Tag, Passport, Note, Grade, Library, Book } = model

  describe('validation on construction and assignment', () => {
    it('names entity and attribute, and records nothing', async () => {
      await dbSession.run(async () => {
        const cases: [() => unknown, new (...a: never[]) => Error, RegExp][] = [
          [() => new Person({ name: 'A', age: null as never }), ValueError, /^Person\.age is required: got null/],
          [() => new Person({ name: '', age: 1 }), ValueError, /^Person\.name is required: got an empty string/],
          [() => new Person({ name: 'A', age: -1 }), ValueError, /^Person\.age: -1 is less than the minimum 0/],
          [() => new Person({ name: 'A', age: 1.5 }), ValueError, /^Person\.age: 1\.5 is not an integer/],
          [() => new Person({ name: 'A', age: '3' as never }), PintoTypeError, /^Person\.age: expected an integer, got '3' \(string\)/],
          [() => new Person({ name: 'A', age: 3, nick: 'root' }), ValueError, /^Person\.nick: the value 'root' \(string\) fails its check/],
          [() => new Person({ name: 'A', age: 3, wings: 2 } as never), PintoTypeError, /^Person has no attribute 'wings'/],
          [() => new Person({ name: 'a\u0000b', age: 3 }), ValueError, /^Person\.name: text may not contain a NUL character/],
        ]
        for (const [fn, cls, message] of cases) {
          assert.throws(fn, (e: unknown) => e instanceof cls && e instanceof OrmError && message.test((e as Error).message), String(message))
        }
        const p = new Person({ name: '  Trim  ', age: 4 })
        assert.equal(p.name, 'Trim')
        assert.throws(() => { p.age = 300 }, /Person\.age: 300 is greater than the maximum 200/)
        assert.equal(p.age, 4)
        const { sql } = await capture(db, () => flush())
        assert.equal(sql.filter((s) => s.startsWith('INSERT')).length, 1)
      })
    })

    it('a duplicate key inside the session is a CacheIndexError; from the database an IntegrityError with sql, params and cause', async () => {
      await dbSession.run(async () => {
        new Person({ name: 'U1', age: 1, email: 'dup@x' })
        assert.throws(() => new Person({ name: 'U2', age: 1, email: 'dup@x' }), CacheIndexError)
        new Tag({ name: 't1' })
        assert.throws(() => new Tag({ name: 't1' }), CacheIndexError)
      })
      await assert.rejects(dbSession.run(async () => { new Person({ name: 'U3', age: 1, email: 'dup@x' }) }), (e: unknown) => {
        assert.ok(e instanceof IntegrityError, String(e))
        assert.match(e.sql, /^INSERT INTO/)
        assert.ok(e.params.includes('dup@x'))
        assert.ok(e.cause instanceof Error)
        return true
      })
    })
  })

  describe('reading', () => {
    it('get by primary key, attributes, lambda; getOrThrow; exists', async () => {
      await dbSession.run(async () => {
        const p = new Person({ name: 'Getter', age: 50, email: 'get@x' })
        await flush()
        assert.equal(await Person.get(p.id), p)
        assert.equal(await Person.get({ email: 'get@x' }), p)
        assert.equal(await Person.get((x) => x.email === 'get@x'), p)
        assert.equal(await Person.get(999999), null)
        await assert.rejects(() => Person.getOrThrow(999999), ObjectNotFound)
        new Person({ name: 'Getter', age: 51 })
        await assert.rejects(() => Person.get({ name: 'Getter' }), MultipleObjectsFoundError)
        assert.equal(await Person.exists((x) => x.age === 50), true)
        assert.equal(await Person.exists((x) => x.age === 199), false)
      })
    })

    it('a reference is the related object; unloaded, its key reads and anything else says how to load it', async () => {
      const created = await dbSession.run(async () => {
        const owner = new Person({ name: 'Owner', age: 40 })
        const car = new Car({ make: 'Volvo', owner })
        assert.equal(car.owner, owner)
        assert.equal(car.id, undefined)
        return { car, owner }
      })
      const ids = { car: created.car.id, owner: created.owner.id }
      assert.equal(typeof ids.car, 'number')
      await dbSession.run(async () => {
        const car = (await Car.get(ids.car))!
        assert.equal(car.owner.id, ids.owner)
        assert.throws(() => car.owner.name, (e: unknown) => e instanceof UnloadedError && /Person\[\d+\]\.name is not loaded: `await person\.load\(\)`/.test((e as Error).message))
        await car.owner.load()
        assert.equal(car.owner.name, 'Owner')
        assert.equal(await Person.get(ids.owner), car.owner)
      })
    })
  })

  describe('relations', () => {
    it("new objects' empty collections are each their own: filling one leaves the others empty", async () => {
      await dbSession.run(async () => {
        const a = new Person({ name: 'A', age: 30 })
        const b = new Person({ name: 'B', age: 30 })
        const c = new Person({ name: 'C', age: 30 })
        new Car({ make: 'C1', owner: a })
        b.cars.add(new Car({ make: 'C2', owner: c }))
        assert.deepEqual([a.cars.size, b.cars.size, c.cars.size], [1, 1, 0])
        assert.equal([...a.cars][0]!.make, 'C1')
        assert.equal([...b.cars][0]!.make, 'C2')
        assert.equal(new Person({ name: 'D', age: 30 }).cars.size, 0)
      })
    })

    it('one-to-many: load, count, add, remove, and both sides in step in memory', async () => {
      const { aId, bId } = await dbSession.run(async () => {
        const a = new Person({ name: 'A', age: 30 })
        const b = new Person({ name: 'B', age: 30 })
        new Car({ make: 'C1', owner: a })
        new Car({ make: 'C2', owner: a })
        await flush()
        return { aId: a.id, bId: b.id }
      })
      await dbSession.run(async () => {
        const a = (await Person.get(aId))!
        const b = (await Person.get(bId))!
        assert.throws(() => [...a.cars], UnloadedError)
        assert.equal(await a.cars.count(), 2)
        const cars = await a.cars.load()
        assert.deepEqual(cars.map((c) => c.make).sort(), ['C1', 'C2'])
        await b.cars.load()
        const c1 = cars.find((c) => c.make === 'C1')!
        c1.owner = b
        assert.equal(a.cars.size, 1)
        assert.ok(b.cars.has(c1))
        const c3 = new Car({ make: 'C3', owner: a })
        assert.ok(a.cars.has(c3))
        b.cars.add(c3)
        assert.equal(c3.owner, b)
        assert.equal(a.cars.has(c3), false)
        assert.throws(() => b.cars.remove(c3), (e: unknown) => e instanceof ValueError && /Car\.owner is required/.test((e as Error).message))
      })
      await dbSession.run(async () => {
        const b = (await Person.get(bId))!
        assert.deepEqual((await b.cars.load()).map((c) => c.make).sort(), ['C1', 'C3'])
      })
    })

    it('many-to-many: add and remove through the link table, seen from both sides', async () => {
      const carId = await dbSession.run(async () => {
        const owner = new Person({ name: 'Tagger', age: 20 })
        return new Car({ make: 'Tagged', owner, tags: [new Tag({ name: 'red' }), new Tag({ name: 'fast' })] })
      }).then((car) => car.id)
      await dbSession.run(async () => {
        const car = (await Car.get(carId))!
        assert.deepEqual((await car.tags.load()).map((t) => t.name).sort(), ['fast', 'red'])
        const red = (await Tag.get('red'))!
        assert.deepEqual((await red.cars.load()).map((c) => c.id), [carId])
        car.tags.remove(red)
        assert.equal(red.cars.has(car), false)
        car.tags.add(new Tag({ name: 'new' }))
      })
      await dbSession.run(async () => {
        const car = (await Car.get(carId))!
        assert.deepEqual((await car.tags.load()).map((t) => t.name).sort(), ['fast', 'new'])
        assert.equal(await (await Tag.getOrThrow('red')).cars.count(), 0)
      })
    })

    it('symmetric many-to-many, self reference, one-to-one', async () => {
      const ids = await dbSession.run(async () => {
        const boss = new Person({ name: 'Boss', age: 60 })
        const a = new Person({ name: 'Fa', age: 20, manager: boss })
        const b = new Person({ name: 'Fb', age: 21, manager: boss })
        a.friends.add(b)
        new Passport({ number: 'P-1', person: a })
        await flush()
        return { boss: boss.id, a: a.id, b: b.id }
      })
      await dbSession.run(async () => {
        const b = (await Person.get(ids.b))!
        assert.deepEqual((await b.friends.load()).map((f) => f.id), [ids.a])
        const boss = (await Person.get(ids.boss))!
        assert.deepEqual((await boss.reports.load()).map((r) => r.id).sort(), [ids.a, ids.b].sort())
        const a = (await Person.get(ids.a))!
        await a.load()
        assert.equal(a.passport?.number, 'P-1')
        const p = (await Passport.get({ number: 'P-1' }))!
        assert.equal(p.person, a)
      })
    })

    it('composite primary keys', async () => {
      await dbSession.run(async () => { new Grade({ student: 'ann', course: 1, score: 5 }) })
      await dbSession.run(async () => {
        const g = (await Grade.get(['ann', 1]))!
        assert.equal(g.score, 5)
        g.score = 6
      })
      assert.equal(await dbSession.run(async () => (await Grade.get(['ann', 1]))!.score), 6)
    })
  })

  describe('changing and deleting', () => {
    it('set() validates everything before changing anything', async () => {
      await dbSession.run(async () => {
        const p = new Person({ name: 'Setter', age: 10 })
        assert.throws(() => p.set({ name: 'Ok', age: -5 }), ValueError)
        assert.equal(p.name, 'Setter')
        p.set({ name: 'Changed', age: 11 })
        assert.equal(p.label, 'Changed (11)')
      })
    })

    it('delete cascades to required children and nulls optional references', async () => {
      const ids = await dbSession.run(async () => {
        const p = new Person({ name: 'Doomed', age: 70 })
        const car = new Car({ make: 'Gone', owner: p })
        const note = new Note({ text: 'stays', author: p })
        await flush()
        return { p: p.id, car: car.id, note: note.id }
      })
      hookLog.length = 0
      await dbSession.run(async () => { (await Person.get(ids.p))!.delete() })
      assert.deepEqual(hookLog, ['beforeDelete Gone', 'afterDelete Gone'])
      await dbSession.run(async () => {
        assert.equal(await Person.get(ids.p), null)
        assert.equal(await Car.get(ids.car), null)
        const note = (await Note.get(ids.note))!
        assert.equal(note.author, null)
      })
    })

    it('a delete that a required reference without cascade forbids is a ConstraintError before any write', async () => {
      const libId = await dbSession.run(async () => {
        const lib = new Library({ name: 'City' })
        new Book({ title: 'Kept', library: lib })
        return lib
      }).then((lib) => lib.id)
      await dbSession.run(async () => {
        const lib = (await Library.get(libId))!
        lib.delete()
        const { result, sql } = await capture(db, () => flush().then(() => null, (e: unknown) => e))
        assert.ok(result instanceof ConstraintError, String(result))
        assert.match((result as Error).message, /cannot delete Library\[\d+\]: Book\[\d+\] refers to it through Book\.library, which is required/)
        assert.deepEqual(sql.filter((q) => !q.startsWith('SELECT')), [])
      })
      assert.equal(await dbSession.run(() => Library.exists((l) => l.name === 'City')), true)
    })

    it('hooks run in Pony order: every before-hook, then the SQL, then every after-hook', async () => {
      hookLog.length = 0
      await dbSession.run(async () => {
        const owner = new Person({ name: 'Hooked', age: 1 })
        new Car({ make: 'H1', owner })
        new Car({ make: 'H2', owner })
      })
      assert.deepEqual(hookLog, ['beforeInsert H1', 'beforeInsert H2', 'afterInsert H1', 'afterInsert H2'])
    })
  })

  describe('inheritance', () => {
    it('Person.select() returns Student objects for student rows; Student.select() only students', async () => {
      await dbSession.run(async () => {
        new Student({ name: 'Stu', age: 19, gpa: 3.5 })
      })
      await dbSession.run(async () => {
        const all = await Person.select((p) => p.name === 'Stu').fetch()
        assert.equal(all.length, 1)
        assert.ok(all[0] instanceof Student)
        assert.equal((all[0] as InstanceType<typeof Student>).gpa, 3.5)
        const students = await Student.select().fetch()
        assert.ok(students.every((s) => s instanceof Student))
        assert.deepEqual(students.map((s) => s.name), ['Stu'])
        assert.equal(await Student.get(all[0]!.id), all[0])
      })
    })
  })

  it('an object\'s hidden state does not travel with a copy, and reflection and inspect show none of it', async () => {
    await dbSession.run(async () => {
      const p = new Person({ name: 'Copied', age: 3 })
      assert.deepEqual(Reflect.ownKeys(p), [])
      const copies = [{ ...p }, Object.assign({}, p)]
      for (const copy of copies) {
        assert.deepEqual(Reflect.ownKeys(copy), [])
        assert.throws(() => new Car({ make: 'Copy', owner: copy as never }), (e: unknown) => e instanceof PintoTypeError && /^Person\.id: expected an integer, got an Object$/.test((e as Error).message))
      }
      assert.doesNotMatch(inspect(p, { showHidden: true, depth: 4 }), /ObjectState|dbSnapshot/)
    })
  })

  it('ConstraintError is exported and is an OrmError', () => {
    assert.ok(new ConstraintError('x') instanceof OrmError)
  })
})

eachTarget('rt_collection_query', (target) => {
  const { model } = useModel(target)
  const { Person, Car, Tag } = model

  it('collection.select(lambda) queries the objects of one owner, for one-to-many and many-to-many', async () => {
    await dbSession.run(async () => {
      const a = new Person({ name: 'Qa', age: 30 })
      const b = new Person({ name: 'Qb', age: 31 })
      const red = new Tag({ name: 'q-red' })
      const old = new Car({ make: 'Old', year: 1990, owner: a, tags: [red] })
      const young = new Car({ make: 'Young', year: 2020, owner: a })
      new Car({ make: 'Other', year: 2021, owner: b, tags: [red] })
      const recent = await a.cars.select((c) => c.year! > 2000).fetch()
      assert.deepEqual(recent, [young])
      assert.deepEqual(await a.cars.select().orderBy((c) => c.make).map((c) => c.make).fetch(), ['Old', 'Young'])
      assert.equal(await b.cars.select().count(), 1)
      assert.deepEqual(await red.cars.select((c, $) => c.owner === $.a, { a }).fetch(), [old])
    })
  })
})

eachTarget('rt_batched_insert', (target) => {
  const { db, model } = useModel(target)
  const { Person, Car } = model

  it('objects created together are inserted several rows per statement, and each gets its own key', async () => {
    const { result: people, sql } = await capture(db, () => dbSession.run(async () => {
      const made = Array.from({ length: 30 }, (_, i) => new Person({ name: `Batch${i}`, age: i }))
      for (const p of made.slice(0, 10)) new Car({ make: `Car of ${p.name}`, owner: p })
      return made
    }))
    assert.equal(sql.filter((s) => s.startsWith('INSERT INTO') && s.includes('person')).length, 1)
    assert.equal(sql.filter((s) => s.startsWith('INSERT INTO') && s.includes('car')).length, 1)
    assert.equal(new Set(people.map((p) => p.id)).size, 30)
    await dbSession.run(async () => {
      for (const p of people) assert.equal((await Person.get(p.id))!.name, p.name)
      const cars = await Car.select((c) => c.make.startsWith('Car of Batch')).fetch()
      assert.equal(cars.length, 10)
      for (const c of cars) {
        await c.owner.load()
        assert.equal(c.make, `Car of ${c.owner.name}`)
      }
    })
  })
})

eachTarget('rt_cascade_batch', (target) => {
  const db = new Database({ ...target.options, poolSize: 4, acquireTimeoutMs: 5000 })
  const { Parent, Kid, Toy, Sticker } = db.define({
    Parent: { name: required(String), kids: set('Kid') },
    Kid: { name: required(String), parent: required('Parent'), toys: set('Toy'), stickers: set('Sticker') },
    Toy: { name: required(String), kid: required('Kid') },
    Sticker: { name: required(String), kid: optional('Kid') },
  })
  useTables(db)

  it('a cascading delete reads the children of all deleted owners of a relation at once, not one SELECT per owner', async () => {
    await dbSession.run(async () => {
      for (let i = 0; i < 50; i++) {
        const parent = new Parent({ name: `P${i}` })
        for (let j = 0; j < 2; j++) {
          const kid = new Kid({ name: `K${i}.${j}`, parent })
          new Toy({ name: `T${i}.${j}`, kid })
          new Sticker({ name: `S${i}.${j}`, kid })
        }
      }
    })
    await dbSession.run(async () => {
      for (const parent of await Parent.select().fetch()) parent.delete()
      const { sql } = await capture(db, () => flush())
      // Parent.kids on the parents, then Kid.toys and Kid.stickers on the kids: 3 relations over 2 levels, whatever the number of parents
      assert.equal(sql.filter((q) => q.startsWith('SELECT')).length, 3)
    })
    await dbSession.run(async () => {
      assert.equal(await Parent.select().count(), 0)
      assert.equal(await Kid.select().count(), 0)
      assert.equal(await Toy.select().count(), 0)
      const stickers = await Sticker.select().fetch()
      assert.equal(stickers.length, 100)
      assert.ok(stickers.every((s) => s.kid === null))
    })
  })

  it("a new object of another entity is not taken for a child because its reference sits in the same slot", async () => {
    // Toy.kid and Sticker.kid are both slot 2: a new Sticker of a deleted Kid must be nulled (Kid.stickers), not deleted by Kid.toys' cascade
    const stickerId = await dbSession.run(async () => {
      const kid = new Kid({ name: 'K', parent: new Parent({ name: 'P' }) })
      await flush()
      kid.parent.delete()
      const sticker = new Sticker({ name: 'S', kid })
      await flush()
      assert.equal(sticker.kid, null)
      return sticker.id
    })
    await dbSession.run(async () => {
      const sticker = await Sticker.get(stickerId)
      assert.ok(sticker !== null, 'the sticker was kept')
      assert.equal(sticker.kid, null)
    })
  })
})
