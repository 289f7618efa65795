import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  dbSession, commit, rollback, flush, TransactionError, DatabaseSessionIsOver, ValueError,
} from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { capture, useModel } from './model.js'

eachTarget('rt_session', (target) => {
  const { db, model } = useModel(target)
  const { Person, Car } = model

  it('a database operation outside a session is a TransactionError saying a dbSession is required', async () => {
    await assert.rejects(() => Person.get(1), (e: unknown) => e instanceof TransactionError && /dbSession is required/.test(e.message))
    assert.throws(() => new Person({ name: 'X', age: 1 }), (e: unknown) => e instanceof TransactionError && /dbSession is required: new Person/.test(e.message))
  })

  it('objects created in a session are inserted when it returns, and get their id', async () => {
    const ann = await dbSession(async () => new Person({ name: 'Ann', age: 31, email: 'ann@x' }))()
    assert.equal(typeof ann.id, 'number')
    const found = await dbSession.run(async () => (await Person.get(ann.id))?.name)
    assert.equal(found, 'Ann')
  })

  it('identity map: one row is one object, and a cached primary-key read sends no SQL', async () => {
    const annId = await dbSession.run(async () => (await Person.get({ email: 'ann@x' }))!.id)
    await dbSession.run(async () => {
      // The control: the same read, not cached yet, is one SELECT that capture sees.
      const first = await capture(db, () => Person.get(annId))
      assert.equal(first.result?.email, 'ann@x')
      assert.equal(first.sql.length, 1, first.sql.join('\n'))
      assert.match(first.sql[0]!, /^SELECT .*person/i)
      const ann = first.result!
      const { result, sql } = await capture(db, () => Person.get(ann.id))
      assert.equal(result, ann)
      assert.deepEqual(sql, [])
      const viaQuery = await Person.select((p, $) => p.id === $.id, { id: ann.id }).first()
      assert.equal(viaQuery, ann)
    })
  })

  it('a throw rolls back and is rethrown; nothing is written', async () => {
    await assert.rejects(dbSession.run(async () => {
      new Person({ name: 'Ghost', age: 1 })
      await flush()
      throw new Error('boom')
    }), /boom/)
    assert.equal(await dbSession.run(() => Person.select((p) => p.name === 'Ghost').count()), 0)
  })

  it('allowedExceptions commit before the error is rethrown', async () => {
    await assert.rejects(dbSession({ allowedExceptions: [RangeError] })(async () => {
      new Person({ name: 'Allowed', age: 2 })
      throw new RangeError('fine')
    })(), RangeError)
    assert.equal(await dbSession.run(() => Person.select((p) => p.name === 'Allowed').count()), 1)
  })

  it('nested sessions join the outer one; a nested retry is a TransactionError', async () => {
    await dbSession.run(async () => {
      const outer = await Person.get({ email: 'ann@x' })
      const inner = await dbSession(async () => Person.get({ email: 'ann@x' }))()
      assert.equal(inner, outer)
      await assert.rejects(dbSession({ retry: 2 })(async () => 1)(), (e: unknown) => e instanceof TransactionError && /nested dbSession cannot retry/.test(e.message))
    })
  })

  it('autoflush: a query sees the objects created before it in the same session', async () => {
    await dbSession.run(async () => {
      const p = new Person({ name: 'Fresh', age: 5 })
      const found = await Person.select((x) => x.name === 'Fresh').fetch()
      assert.deepEqual(found, [p])
      await rollback()
    })
    assert.equal(await dbSession.run(() => Person.select((p) => p.name === 'Fresh').count()), 0)
  })

  it('commit() in the middle: the session goes on, and what was committed stays after a later rollback', async () => {
    await assert.rejects(dbSession.run(async () => {
      new Person({ name: 'Kept', age: 3 })
      await commit()
      new Person({ name: 'Lost', age: 3 })
      await flush()
      throw new Error('after commit')
    }))
    const names = await dbSession.run(() => Person.select((p) => p.age === 3).map((p) => p.name).fetch())
    assert.deepEqual(names, ['Kept'])
  })

  it('after the session, loaded attributes stay readable; changing or loading throws DatabaseSessionIsOver', async () => {
    const [ann, car] = await dbSession.run(async () => {
      const a = (await Person.get({ email: 'ann@x' }))!
      const c = new Car({ make: 'Saab', owner: a })
      return [a, c] as const
    })
    assert.equal(ann.name, 'Ann')
    assert.equal(car.make, 'Saab')
    assert.throws(() => { ann.age = 40 }, DatabaseSessionIsOver)
    await assert.rejects(() => ann.cars.load(), DatabaseSessionIsOver)
    await assert.rejects(() => ann.load(), DatabaseSessionIsOver)
  })

  it('concurrent sessions never share objects', async () => {
    const results = await Promise.all([1, 2, 3].map((n) => dbSession.run(async () => {
      const p = (await Person.get({ email: 'ann@x' }))!
      await new Promise((r) => setTimeout(r, 5 * n))
      return p
    })))
    assert.equal(new Set(results).size, 3)
    assert.ok(results.every((p) => p.name === 'Ann'))
  })

  it('reads hold no connection; the first write holds one until commit', async () => {
    await dbSession.run(async () => {
      await Person.get({ email: 'ann@x' })
      assert.equal((await db.poolStatus()).inUse, 0)
      const p = new Person({ name: 'Writer', age: 9 })
      await flush()
      assert.equal((await db.poolStatus()).inUse, 1)
      await commit()
      assert.equal((await db.poolStatus()).inUse, 0)
      p.delete()
    })
    assert.equal((await db.poolStatus()).inUse, 0)
  })

  it('a failed validation records nothing', async () => {
    await dbSession.run(async () => {
      assert.throws(() => new Person({ name: 'x'.repeat(21), age: 1 }), (e: unknown) => e instanceof ValueError && /Person\.name/.test(e.message))
      const { sql } = await capture(db, () => flush())
      assert.deepEqual(sql, [])
      // The control: a valid object is recorded, and the same flush sends its INSERT, which capture sees.
      const valid = new Person({ name: 'x'.repeat(20), age: 1 })
      const control = await capture(db, () => flush())
      assert.equal(control.sql.filter((s) => /^INSERT INTO .*person/i.test(s)).length, 1, control.sql.join('\n'))
      valid.delete()
    })
    assert.equal(await dbSession.run(() => Person.select((p, $) => p.name === $.n, { n: 'x'.repeat(20) }).count()), 0)
  })

  it('works as a TS 5 method decorator and keeps `this`', async () => {
    class Service {
      readonly prefix = 'svc'
      @dbSession()
      async describe(email: string): Promise<string> {
        const p = await Person.get({ email })
        return `${this.prefix}:${p?.name ?? 'none'}`
      }
    }
    assert.equal(await new Service().describe('ann@x'), 'svc:Ann')
  })

  describe('retry', () => {
    it('re-runs the whole function with a fresh identity map on a retryable error', async () => {
      let attempts = 0
      const seen = new Set<unknown>()
      const { OperationalError } = await import('../../runtime/index.js')
      const result = await dbSession({ retry: 2 })(async () => {
        attempts++
        seen.add(await Person.get({ email: 'ann@x' }))
        if (attempts < 3) throw new OperationalError('deadlock', { sql: '', params: [], cause: null, driverCode: '40P01' })
        return 'done'
      })()
      assert.equal(result, 'done')
      assert.equal(attempts, 3)
      assert.equal(seen.size, 3)
    })

    it('does not retry other errors', async () => {
      let attempts = 0
      await assert.rejects(dbSession({ retry: 3 })(async () => {
        attempts++
        throw new ValueError('no')
      })(), ValueError)
      assert.equal(attempts, 1)
    })
  })
})
