/** `makeProxy`: an entity handle that crosses sessions. */
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { dbSession, makeProxy, ObjectNotFound, UnloadedError, type EntityProxy } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { capture, useModel } from '../runtime/model.js'

eachTarget('sc_proxy', (target) => {
  const { db, model } = useModel(target)
  const { Person, Car } = model
  type Person = InstanceType<typeof Person>

  it('reads through to the later session\'s object after load(); assignment writes there', async () => {
    const proxy: EntityProxy<Person> = await dbSession.run(async () => makeProxy(new Person({ name: 'Proxied', age: 30 })))
    assert.equal(proxy.name, 'Proxied')
    await dbSession.run(async () => {
      assert.equal(typeof proxy.id, 'number')
      assert.throws(() => proxy.name, (e: unknown) => e instanceof UnloadedError && /\(proxy\)\.name is not loaded in this dbSession: `await proxy\.load\(\)` first/.test((e as Error).message))
      const { sql } = await capture(db, () => proxy.load())
      assert.equal(sql.length, 2, 'the row, and the one-to-one reverse Person.passport')
      assert.equal(proxy.name, 'Proxied')
      const same = await Person.get(proxy.id)
      assert.equal(proxy.unwrap(), same)
      assert.ok(proxy instanceof Person)
      proxy.age = 31
      new Car({ make: 'ByProxy', owner: proxy })
      assert.equal((await proxy.load()).age, 31)
    })
    await dbSession.run(async () => {
      proxy.name = 'Blind'
    })
    await dbSession.run(async () => {
      await proxy.load()
      assert.equal(proxy.name, 'Blind')
      assert.equal(proxy.age, 31)
      assert.deepEqual((await proxy.cars.load()).map((c) => c.make), ['ByProxy'])
      assert.deepEqual(proxy.toDict({ only: ['name'] }), { name: 'Blind' })
    })
  })

  it('loads of several proxies in one tick share a SELECT (a synchronous driver reads each at once); a deleted row is ObjectNotFound', async () => {
    const proxies = await dbSession.run(async () => {
      const people = [1, 2, 3].map((i) => new Person({ name: `Px${i}`, age: i }))
      return people.map((p) => makeProxy(p))
    })
    await dbSession.run(async () => {
      const { sql } = await capture(db, () => Promise.all(proxies.map((p) => p.load())))
      const rowReads = db.dialect.caps.syncDriver ? proxies.length : 1
      assert.equal(sql.filter((s) => s.startsWith('SELECT')).length, rowReads + 1, 'the rows, and the passports')
      assert.deepEqual(proxies.map((p) => p.name), ['Px1', 'Px2', 'Px3'])
      proxies[0]!.delete()
    })
    await dbSession.run(async () => {
      await assert.rejects(() => proxies[0]!.load(), ObjectNotFound)
    })
  })
})
