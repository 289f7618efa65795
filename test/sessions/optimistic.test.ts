// Optimistic checks, live: two sessions read one row and both write it. Exactly
// one gets OptimisticCheckError (naming the object and the attributes checked),
// the other commits and its value stays. `optimistic: false` turns the check off
// (last writer wins); floats and volatile attributes are never checked.
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { dbSession, OptimisticCheckError } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { capture } from '../runtime/model.js'
import { deferred, poolWhole, useCounters } from './support.js'

/** Resolves once `n` callers have arrived. */
function barrier(n: number): () => Promise<void> {
  let waiting = 0
  const all = deferred()
  return () => {
    if (++waiting === n) all.resolve()
    return all.promise
  }
}

eachTarget('ses_optimistic', (target) => {
  const { db, model } = useCounters(target, { poolSize: 4, acquireTimeoutMs: 10_000 })
  const { Counter } = model

  async function race(name: string, options: { optimistic?: boolean }): Promise<PromiseSettledResult<number>[]> {
    await dbSession.run(async () => { new Counter({ name, value: 0, ratio: 0.5 }) })
    const bothRead = barrier(2)
    const writer = (value: number) => dbSession(options)(async () => {
      const c = (await Counter.get({ name }))!
      assert.equal(c.value, 0)
      await bothRead()
      c.value = value
      return value
    })()
    return Promise.allSettled([writer(1), writer(2)])
  }

  it('lost update: exactly one OptimisticCheckError naming the object and the attributes checked; the other commits', async () => {
    const results = await race('lost', {})
    const failed = results.filter((r) => r.status === 'rejected')
    const won = results.filter((r): r is PromiseFulfilledResult<number> => r.status === 'fulfilled')
    assert.equal(failed.length, 1, JSON.stringify(results))
    assert.equal(won.length, 1)
    const error = (failed[0] as PromiseRejectedResult).reason as unknown
    assert.ok(error instanceof OptimisticCheckError, String(error))
    assert.match(error.message, /cannot update Counter\[\d+\]/)
    assert.match(error.message, /value/)
    assert.doesNotMatch(error.message, /ratio|seen/)
    const stored = await dbSession.run(async () => (await Counter.get({ name: 'lost' }))!.value)
    assert.equal(stored, won[0]!.value)
    await poolWhole(db)
  })

  it('optimistic: false turns the check off: both commit, the last writer wins, and the WHERE tests the key only', async () => {
    const { sql } = await capture(db, () => race('unchecked', { optimistic: false }))
      .then(({ result, sql }) => {
        assert.ok(result.every((r) => r.status === 'fulfilled'), JSON.stringify(result))
        return { sql }
      })
    const updates = sql.filter((s) => /^UPDATE/i.test(s))
    assert.equal(updates.length, 2)
    for (const u of updates) assert.doesNotMatch(u.split(/ WHERE /i)[1]!, /value/)
    const stored = await dbSession.run(async () => (await Counter.get({ name: 'unchecked' }))!.value)
    assert.ok(stored === 1 || stored === 2)
  })

  it('floats and volatile attributes are not checked: a concurrent change to them does not fail the update', async () => {
    await dbSession.run(async () => { new Counter({ name: 'soft', value: 0, ratio: 0.1, seen: 1 }) })
    const readDone = deferred()
    const otherDone = deferred()
    const main = capture(db, () => dbSession.run(async () => {
      const c = (await Counter.get({ name: 'soft' }))!
      assert.equal(c.ratio, 0.1)
      assert.equal(c.seen, 1)
      assert.equal(c.value, 0)
      readDone.resolve()
      await otherDone.promise
      c.note = 'written'
    }))
    await readDone.promise
    await dbSession.run(async () => {
      const c = (await Counter.get({ name: 'soft' }))!
      c.ratio = 0.7
      c.seen = 9
    })
    otherDone.resolve()
    const { sql } = await main
    const update = sql.find((s) => /^UPDATE .* SET .*note/i.test(s))!
    const where = update.split(/ WHERE /i)[1]!
    assert.match(where, /value/)
    assert.doesNotMatch(where, /ratio|seen/)
    const row = await dbSession.run(async () => {
      const c = (await Counter.get({ name: 'soft' }))!
      return [c.note, c.ratio, c.seen]
    })
    assert.deepEqual(row, ['written', 0.7, 9])
  })
})
