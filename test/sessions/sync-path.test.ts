// The read path that answers in the calling tick on a synchronous driver
// (SQLite): it is taken only when nothing is pending and a connection is
// free, so a read waits its turn behind a session holding the connection and
// sees what that session committed; pending changes are flushed first; and
// its errors reject the returned promise rather than throwing at the call.
// The same tests run on the networked databases, where every read is async:
// the behaviour must be the same.
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { commit, dbSession, flush, TransactionError, TypeError as OrmTypeError } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { deferred, held, useCounters, waitFor } from './support.js'

eachTarget('ses_sync', (target) => {
  const { db, model } = useCounters(target, { poolSize: 1, acquireTimeoutMs: 5000 })
  const { Counter } = model

  it('a read that finds the only connection in a transaction waits for it, then sees the committed row', async () => {
    const written = deferred()
    const release = deferred()
    let committed = false
    const writer = dbSession.run(async () => {
      new Counter({ name: 'sync-w', value: 1 })
      await flush()
      assert.notEqual(held(db), null)
      written.resolve()
      await release.promise
      await commit()
      committed = true
    })
    await written.promise
    let readDone = false
    const reader = dbSession.run(async () => {
      const rows = await Counter.select((c) => c.name === 'sync-w').fetch()
      readDone = true
      assert.equal(committed, true, 'the read ran only after the writer committed')
      return rows.map((c) => c.value)
    })
    await waitFor('the read to wait for the connection', async () => (await db.poolStatus()).waiting === 1)
    assert.equal(readDone, false)
    release.resolve()
    await writer
    assert.deepEqual(await reader, [1])
  })

  it('pending changes are flushed before a read, which then sees them', async () => {
    await dbSession.run(async () => {
      new Counter({ name: 'sync-p', value: 7 })
      const rows = await Counter.select((c) => c.name === 'sync-p').fetch()
      assert.deepEqual(rows.map((c) => c.value), [7])
      assert.equal((await Counter.get(rows[0]!.id))!.value, 7)
    })
  })

  it('errors reject the returned promise; nothing throws at the call', async () => {
    await dbSession.run(async () => {
      let got: Promise<unknown> | undefined
      assert.doesNotThrow(() => { got = Counter.get('not a key' as never) })
      await assert.rejects(got!, OrmTypeError)
    })
    let outside: Promise<unknown> | undefined
    assert.doesNotThrow(() => { outside = Counter.select().fetch() })
    await assert.rejects(outside!, TransactionError)
    assert.doesNotThrow(() => { outside = Counter.get(1) })
    await assert.rejects(outside!, TransactionError)
  })

  it('a read in a session that holds the transaction runs on that connection and sees its own uncommitted write', async () => {
    await dbSession.run(async () => {
      const c = new Counter({ name: 'sync-t', value: 3 })
      await flush()
      const conn = held(db)
      c.value = 4
      const rows = await Counter.select((x) => x.name === 'sync-t' && x.value === 4).fetch()
      assert.equal(held(db), conn)
      assert.deepEqual(rows.map((x) => x.value), [4])
    })
  })
})
