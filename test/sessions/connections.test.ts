// The connection policy, observed through the pool: before its first write a
// session borrows a connection per statement (none held while it does other
// work); from the first write, or from its first statement with `immediate`
// or `serializable`, it holds one until COMMIT or ROLLBACK; every way out of a
// session (return, throw, retry, a failed commit) gives it back. A dry pool
// names where the sessions holding its connections were started. Also
// `strict` and `allowedExceptions`.
import { it } from 'node:test'
import assert from 'node:assert/strict'
import {
  CommitException, commit, DatabaseSessionIsOver, dbSession, flush, IntegrityError, OperationalError,
} from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { capture } from '../runtime/model.js'
import { deferred, held, poolWhole, sleep, useAdmin, useCounters } from './support.js'

eachTarget('ses_conn', (target) => {
  const { db, model } = useCounters(target, { poolSize: 2, acquireTimeoutMs: 300 })
  const { Counter } = model
  const admin = useAdmin(target)
  const inUse = async (): Promise<number> => (await db.poolStatus()).inUse

  it('before the first write each statement borrows a connection and gives it back; none is held during other work', async () => {
    await dbSession.run(async () => { new Counter({ name: 'p1', value: 1 }) })
    await dbSession.run(async () => {
      await Counter.get({ name: 'p1' })
      assert.equal(await inUse(), 0)
      assert.equal(held(db), null)
      await sleep(20)
      await Counter.select((c) => c.value > 0).fetch()
      assert.equal(await inUse(), 0)
    })
  })

  it('from the first write one connection is held for every statement until commit; after commit reads borrow again', async () => {
    await dbSession.run(async () => {
      const c = (await Counter.get({ name: 'p1' }))!
      c.value += 1
      await flush()
      const conn = held(db)
      assert.notEqual(conn, null)
      assert.equal(await inUse(), 1)
      await Counter.select((x) => x.value > 100).fetch()
      assert.equal(held(db), conn)
      await commit()
      assert.equal(held(db), null)
      assert.equal(await inUse(), 0)
      await Counter.get({ name: 'p1' })
      assert.equal(await inUse(), 0)
    })
  })

  it('immediate and serializable hold a connection from the first statement, a read, inside BEGIN', async () => {
    for (const options of [{ immediate: true }, { serializable: true }]) {
      const { sql } = await capture(db, () => dbSession.run(options, async () => {
        await Counter.get({ name: 'p1' })
        assert.notEqual(held(db), null, JSON.stringify(options))
        assert.equal(await inUse(), 1)
      }))
      const begin = sql.slice(0, sql.findIndex((s) => /^SELECT/i.test(s))).join('; ')
      const expected = target.provider === 'sqlite' ? /^BEGIN IMMEDIATE$/
        : options.serializable === true ? (target.provider === 'postgres' ? /^BEGIN ISOLATION LEVEL SERIALIZABLE$/ : /SERIALIZABLE; START TRANSACTION$/)
        : /^(BEGIN|START TRANSACTION)$/
      assert.match(begin, expected, JSON.stringify(options))
      assert.equal(await inUse(), 0)
    }
  })

  it('every exit path gives the connection back: return, throw, retry, a failed flush at commit', async () => {
    await dbSession.run(async () => { new Counter({ name: 'ret', value: 1 }) })
    assert.equal(await inUse(), 0)
    await assert.rejects(dbSession.run(async () => {
      new Counter({ name: 'thrown', value: 1 })
      await flush()
      throw new Error('boom')
    }), /boom/)
    assert.equal(await inUse(), 0)
    let attempts = 0
    const atStart: number[] = []
    await dbSession({ retry: 2 })(async () => {
      atStart.push(await inUse())
      attempts++
      new Counter({ name: `retried${attempts}`, value: 1 })
      await flush()
      if (attempts === 1) throw new OperationalError('deadlock', { sql: '', params: [], cause: null, driverCode: '40P01' })
    })()
    assert.deepEqual(atStart, [0, 0])
    assert.equal(await inUse(), 0)
    await assert.rejects(dbSession.run(async () => { new Counter({ name: 'ret', value: 2 }) }), IntegrityError)
    assert.equal(await inUse(), 0)
    const names = await dbSession.run(() => Counter.select((c) => c.value === 1).map((c) => c.name).fetch())
    assert.deepEqual(names.filter((n) => n !== 'p1').sort(), ['ret', 'retried2'])
  })

  it('a COMMIT that fails (deferred unique constraint, PostgreSQL) is a CommitException with a known outcome, and the connection comes back', { skip: target.provider !== 'postgres' && 'a deferred unique constraint is PostgreSQL only' }, async () => {
    const conn = await admin()
    try {
      await conn.query('ALTER TABLE counter ADD CONSTRAINT counter_note_deferred UNIQUE (note) DEFERRABLE INITIALLY DEFERRED', [])
      let attempts = 0
      const error = await dbSession({ retry: 3 })(async () => {
        attempts++
        new Counter({ name: 'd1', value: 0, note: 'same' })
        await flush()
        new Counter({ name: 'd2', value: 0, note: 'same' })
      })().then(() => null, (e: unknown) => e)
      assert.ok(error instanceof CommitException, String(error))
      assert.equal(error.outcomeUnknown, false)
      assert.ok(error.cause instanceof IntegrityError)
      assert.equal(attempts, 1)
      assert.equal(await inUse(), 0)
      assert.equal(await dbSession.run(() => Counter.select((c) => c.note === 'same').count()), 0)
    } finally {
      await conn.query('ALTER TABLE counter DROP CONSTRAINT IF EXISTS counter_note_deferred', [])
      conn.release()
    }
  })

  it('strict: objects are cleared at the end and reading them throws; without strict they stay readable', async () => {
    const loose = await dbSession.run(async () => (await Counter.get({ name: 'p1' }))!)
    assert.equal(loose.name, 'p1')
    const strict = await dbSession.run({ strict: true }, async () => (await Counter.get({ name: 'p1' }))!)
    assert.throws(() => strict.name, DatabaseSessionIsOver)
  })

  it('allowedExceptions: the session commits, gives the connection back, and rethrows', async () => {
    await assert.rejects(dbSession({ allowedExceptions: (e) => e instanceof RangeError })(async () => {
      new Counter({ name: 'allowed', value: 7 })
      await flush()
      throw new RangeError('fine')
    })(), RangeError)
    assert.equal(await inUse(), 0)
    assert.equal(await dbSession.run(() => Counter.select((c) => c.name === 'allowed').count()), 1)
  })

  it('exhaustion: sessions that never end are named (where they started) in the OperationalError of those that time out', { timeout: 30_000 }, async () => {
    const { size } = await db.poolStatus()
    const release = deferred()
    const holding: Promise<void>[] = []
    const writing: Promise<void>[] = []
    for (let i = 0; i < size; i++) {
      const wrote = deferred()
      writing.push(wrote.promise)
      holding.push(dbSession(async function holdForever() {
        new Counter({ name: `forever${i}`, value: 0 })
        await flush()
        wrote.resolve()
        await release.promise
      })())
    }
    await Promise.all(writing)
    try {
      await timeOutBehind(size)
    } finally {
      release.resolve()
      await Promise.all(holding)
    }
    await poolWhole(db)
    assert.equal(await dbSession.run(() => Counter.select((c) => c.name.startsWith('forever')).count()), size)
    assert.equal(await dbSession.run(() => Counter.select((c) => c.name.startsWith('late')).count()), 0)
  })

  /**
   * Three writers queue behind the full pool and, never served, are rejected by the acquire
   * timeout: the only place that says "pool exhausted", and the count of waiters it gives
   * (3, then 2, then 1) shows all three were queued when the first timed out.
   */
  async function timeOutBehind(size: number): Promise<void> {
    const others = Promise.allSettled([1, 2, 3].map((n) => dbSession.run(async () => { new Counter({ name: `late${n}`, value: 0 }) })))
    const waiting: number[] = []
    for (const result of await others) {
      assert.equal(result.status, 'rejected')
      const error = (result as PromiseRejectedResult).reason as Error
      assert.ok(error instanceof OperationalError, String(error))
      const match = new RegExp(`pool exhausted: ${size} of ${size} connections in use, (\\d+) waiting`).exec(error.message)
      assert.ok(match !== null, error.message)
      waiting.push(Number(match[1]))
      assert.match(error.message, /held by: holdForever \(transaction begun at .*connections\.test\.ts:\d+/)
    }
    assert.deepEqual(waiting.sort(), [1, 2, 3])
    assert.deepEqual(await db.poolStatus(), { size, inUse: size, waiting: 0 }, 'the holders still hold; no waiter was served')
  }
})
