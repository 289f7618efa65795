/**
 * The collections of a new object, on every database: empty and loaded from
 * the start (the object is made without one; it is made on first use), kept
 * in step by the references of other new objects whether or not it was read
 * before, still loaded after the object's INSERT, filled by the constructor's
 * `pets: [...]`, and shown by `toDict`. A collection of an object read from
 * the database is not loaded until asked.
 */
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { Database, dbSession, flush, required, set } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { useTables } from '../support/tables.js'

eachTarget('rt_new_coll', (target) => {
  const db = new Database({ ...target.options, poolSize: 2, acquireTimeoutMs: 5000 })
  const { Owner, Pet } = db.define({
    Owner: { name: required(String, { unique: true }), pets: set('Pet') },
    Pet: { name: required(String), owner: required('Owner') },
  })
  useTables(db)

  const names = (pets: Iterable<{ name: string }>): string[] => [...pets].map((p) => p.name).sort()

  it('a new object\'s collection holds the new objects that refer to it, read before or after they were made', async () => {
    await dbSession.run(async () => {
      const unread = new Owner({ name: 'unread' })
      new Pet({ name: 'early', owner: unread })
      assert.equal(unread.pets.isLoaded, true)
      assert.deepEqual(names(unread.pets), ['early'])
      const read = new Owner({ name: 'read' })
      assert.equal(read.pets.size, 0)
      new Pet({ name: 'later', owner: read })
      assert.deepEqual(names(read.pets), ['later'])
      const moved = new Pet({ name: 'moved', owner: unread })
      moved.owner = read
      assert.deepEqual(names(unread.pets), ['early'])
      assert.deepEqual(names(read.pets), ['later', 'moved'])
    })
  })

  it('after its INSERT, a new object\'s collection that was never read is still loaded and kept in step', async () => {
    await dbSession.run(async () => {
      const owner = new Owner({ name: 'inserted' })
      await flush()
      assert.equal(typeof owner.id, 'number')
      const pet = new Pet({ name: 'after', owner })
      assert.deepEqual(names(owner.pets), ['after'])
      await flush()
      assert.deepEqual(owner.toDict({ withCollections: true }).pets, [pet.id])
    })
    await dbSession.run(async () => {
      const owner = (await Owner.get({ name: 'inserted' }))!
      assert.equal(owner.pets.isLoaded, false)
      assert.deepEqual(owner.toDict({ withCollections: true }).pets, undefined)
      assert.deepEqual(names(await owner.pets.load()), ['after'])
    })
  })

  it('new Owner({ pets: [...] }) takes the pets from their owner into its own collection', async () => {
    await dbSession.run(async () => {
      const first = new Owner({ name: 'first' })
      const a = new Pet({ name: 'a', owner: first })
      const b = new Pet({ name: 'b', owner: first })
      const second = new Owner({ name: 'second', pets: [a] })
      assert.equal(a.owner, second)
      assert.deepEqual(names(second.pets), ['a'])
      assert.deepEqual(names(first.pets), ['b'])
      assert.deepEqual(new Owner({ name: 'empty' }).toDict({ withCollections: true }).pets, [])
      assert.equal(b.owner, first)
    })
    await dbSession.run(async () => {
      const second = (await Owner.get({ name: 'second' }))!
      assert.deepEqual(names(await second.pets.load()), ['a'])
    })
  })
})
