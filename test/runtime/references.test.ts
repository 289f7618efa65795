/**
 * References given as objects or keys, on every database: a composite
 * primary key with a reference part is looked up by the object or by its
 * key; a wrong entity is pinto's TypeError; `set` checks every value,
 * references included, before it changes any; and a clash on one unique
 * key of a new object leaves no entry of its other unique keys behind.
 */
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { CacheIndexError, Database, dbSession, Int, optional, primaryKey, required, set, TypeError as OrmTypeError } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { useTables } from '../support/tables.js'

eachTarget('rt_refs', (target) => {
  const db = new Database({ ...target.options, poolSize: 2, acquireTimeoutMs: 5000 })
  const { Course, Enrol, Owner, Pet } = db.define({
    Course: { code: primaryKey(String), enrols: set('Enrol') },
    Enrol: { course: required('Course'), seat: required(Int), note: optional(String), $primaryKey: ['course', 'seat'] },
    Owner: { name: required(String), a: optional(String, { unique: true }), b: optional(String, { unique: true }), pets: set('Pet') },
    Pet: { name: required(String), owner: required('Owner') },
  })
  useTables(db)

  it('a composite key with a reference part: get by the object or by its key', async () => {
    await dbSession.run(async () => {
      const c = new Course({ code: 'c1' })
      new Enrol({ course: c, seat: 1, note: 'first' })
    })
    await dbSession.run(async () => {
      assert.equal((await Enrol.get(['c1', 1]))?.note, 'first')
      const c = (await Course.get('c1'))!
      assert.equal((await Enrol.get([c, 1]))?.note, 'first')
      assert.equal(await Enrol.get(['c1', 2]), null)
    })
  })

  it('a reference to the wrong entity is pinto\'s TypeError', async () => {
    await dbSession.run(async () => {
      const o = new Owner({ name: 'o1' })
      assert.throws(() => new Enrol({ course: o as never, seat: 9 }), (e: unknown) => e instanceof OrmTypeError && /Enrol\.course: expected a Course, got an Owner/.test((e as Error).message))
    })
  })

  it('set checks a reference before it changes anything', async () => {
    await dbSession.run(async () => {
      const pet = new Pet({ name: 'rex', owner: new Owner({ name: 'o2' }) })
      assert.throws(() => pet.set({ name: 'max', owner: 'not a key' as never }), OrmTypeError)
      assert.equal(pet.name, 'rex')
    })
  })

  it('a clash on one unique key of a new object leaves no entry of its other unique keys', async () => {
    await dbSession.run(async () => {
      new Owner({ name: 'u1', a: 'a1', b: 'b1' })
      assert.throws(() => new Owner({ name: 'u2', a: 'a2', b: 'b1' }), CacheIndexError)
      const ok = new Owner({ name: 'u3', a: 'a2', b: 'b3' })
      assert.equal(ok.a, 'a2')
    })
  })
})
