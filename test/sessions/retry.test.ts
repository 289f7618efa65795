// Retry: the default classifier over driver error codes (table-driven, through
// each dialect's real error converter), the jittered backoff, and live
// conflicts re-run by the outermost session: a deadlock between two sessions
// (PostgreSQL 40P01, MariaDB 1213), a serializable write skew (40001, or a
// deadlock under MariaDB's locking SERIALIZABLE), and SQLite busy with two
// connections to one file.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CommitException, Database, dbSession, flush, IntegrityError, OperationalError, OptimisticCheckError, ProgrammingError, TransactionError,
} from '../../runtime/index.js'
import { convertMysqlError } from '../../dialects/mysql/errors.js'
import { convertPostgresError } from '../../dialects/postgres/errors.js'
import { convertSqliteError } from '../../dialects/sqlite/errors.js'
import { backoffMs, isRetryable } from '../../runtime/session/retry.js'
import { eachTarget } from '../support/databases.js'
import { defineCounters, deferred, poolWhole, useCounters } from './support.js'

const driverError = (message: string, fields: Record<string, unknown>): Error => Object.assign(new Error(message), fields)

describe('the default retry classifier', () => {
  const cases: [string, unknown, boolean][] = [
    ['pg 40001 serialization failure', convertPostgresError(driverError('could not serialize', { code: '40001' }), 'UPDATE t', []).error, true],
    ['pg 40P01 deadlock', convertPostgresError(driverError('deadlock detected', { code: '40P01' }), 'UPDATE t', []).error, true],
    ['pg 57P01 admin shutdown (connection lost)', convertPostgresError(driverError('terminating connection', { code: '57P01' }), 'SELECT 1', []).error, false],
    ['pg 25P02 in failed transaction', convertPostgresError(driverError('current transaction is aborted', { code: '25P02' }), 'SELECT 1', []).error, false],
    ['pg 23505 unique violation', convertPostgresError(driverError('duplicate key', { code: '23505' }), 'INSERT', []).error, false],
    ['pg connection terminated', convertPostgresError(new Error('Connection terminated unexpectedly'), 'SELECT 1', []).error, false],
    ['mysql 1213 deadlock', convertMysqlError(driverError('Deadlock found', { code: 'ER_LOCK_DEADLOCK', errno: 1213 }), 'UPDATE t', []).error, true],
    ['mysql 1205 lock wait timeout', convertMysqlError(driverError('Lock wait timeout', { code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 }), 'UPDATE t', []).error, true],
    ['mysql 2013 lost connection', convertMysqlError(driverError('Lost connection', { code: 'CR_SERVER_LOST', errno: 2013 }), 'SELECT 1', []).error, false],
    ['mysql 1062 duplicate entry', convertMysqlError(driverError('Duplicate entry', { code: 'ER_DUP_ENTRY', errno: 1062 }), 'INSERT', []).error, false],
    ['sqlite SQLITE_BUSY', convertSqliteError(driverError('database is locked', { code: 'SQLITE_BUSY' }), 'BEGIN IMMEDIATE', []).error, true],
    ['sqlite SQLITE_BUSY_SNAPSHOT', convertSqliteError(driverError('database is locked', { code: 'SQLITE_BUSY_SNAPSHOT' }), 'UPDATE t', []).error, true],
    ['sqlite SQLITE_CONSTRAINT_UNIQUE', convertSqliteError(driverError('UNIQUE constraint failed', { code: 'SQLITE_CONSTRAINT_UNIQUE' }), 'INSERT', []).error, false],
    ['COMMIT failed with 40001 (outcome known)', new CommitException('COMMIT failed', { cause: convertPostgresError(driverError('x', { code: '40001' }), 'COMMIT', []).error, outcomeUnknown: false }), true],
    ['COMMIT lost (outcome unknown)', new CommitException('lost', { cause: convertPostgresError(driverError('x', { code: '40001' }), 'COMMIT', []).error, outcomeUnknown: true }), false],
    ['OptimisticCheckError', new OptimisticCheckError('row changed'), true],
    ['a plain Error', new Error('boom'), false],
  ]
  for (const [name, error, retryable] of cases) {
    it(`${name} → ${retryable ? 'retried' : 'not retried'}`, () => {
      assert.equal(isRetryable(error), retryable)
    })
  }
  it('the converters give the classes the classifier expects', () => {
    assert.ok(cases[0]![1] instanceof OperationalError)
    assert.ok(cases[4]![1] instanceof IntegrityError)
    assert.ok(cases[3]![1] instanceof OperationalError || cases[3]![1] instanceof ProgrammingError)
  })
  it('backoff is full jitter, doubling from 10 ms and capped at 100 ms', () => {
    assert.equal(backoffMs(1, () => 0), 0)
    assert.equal(backoffMs(1, () => 0.5), 5)
    assert.equal(backoffMs(3, () => 0.5), 20)
    assert.equal(backoffMs(20, () => 0.5), 50)
    const samples = Array.from({ length: 50 }, () => backoffMs(2))
    assert.ok(samples.every((ms) => ms >= 0 && ms < 20))
    assert.ok(new Set(samples).size > 40, 'jittered')
  })
})

eachTarget('ses_retry', (target) => {
  const { db, model } = useCounters(target, { poolSize: 4, acquireTimeoutMs: 10_000 })
  const { Counter } = model
  const server = target.provider !== 'sqlite'

  async function seed(...names: string[]): Promise<void> {
    await dbSession.run(async () => { for (const name of names) new Counter({ name, value: 0 }) })
  }
  const values = (...names: string[]) => dbSession.run(async () => Promise.all(names.map(async (n) => (await Counter.get({ name: n }))!.value)))

  it('only the outermost session retries: an error inside a nested session re-runs the whole outer function, with fresh objects', async () => {
    await seed('nest')
    let outer = 0
    let inner = 0
    const seen = new Set<unknown>()
    await dbSession({ retry: 3 })(async () => {
      outer++
      seen.add(await Counter.get({ name: 'nest' }))
      await dbSession(async () => {
        inner++
        if (inner < 3) throw new OperationalError('deadlock', { sql: '', params: [], cause: null, driverCode: '40P01' })
      })()
    })()
    assert.deepEqual([outer, inner, seen.size], [3, 3, 3])
    await dbSession.run(async () => {
      await assert.rejects(dbSession({ retry: 1 })(async () => 1)(), TransactionError)
    })
    await poolWhole(db)
  })

  it(`a deadlock between two sessions is retried and both increments land${server ? '' : ' (skipped: one SQLite connection cannot deadlock)'}`, { skip: !server }, async () => {
    await seed('dl_a', 'dl_b')
    let attempts = 0
    const firstWrites = { n: 0, both: deferred() }
    const bump = (first: string, second: string) => dbSession({ retry: 5 })(async () => {
      attempts++
      const a = (await Counter.get({ name: first }))!
      a.value += 1
      await flush()
      if (attempts <= 2) {
        if (++firstWrites.n === 2) firstWrites.both.resolve()
        await firstWrites.both.promise
      }
      const b = (await Counter.get({ name: second }))!
      b.value += 1
    })()
    await Promise.all([bump('dl_a', 'dl_b'), bump('dl_b', 'dl_a')])
    assert.ok(attempts >= 3, `one session was re-run after the deadlock (attempts: ${attempts})`)
    assert.deepEqual(await values('dl_a', 'dl_b'), [2, 2])
    await poolWhole(db)
  })

  it(`serializable write skew: one session fails to serialize and is re-run${server ? '' : ' (SQLite: BEGIN IMMEDIATE, tested in connections)'}`, { skip: !server }, async () => {
    await seed('sk_x', 'sk_y')
    let attempts = 0
    const read = { n: 0, both: deferred() }
    const skew = (mine: string) => dbSession({ retry: 5, serializable: true })(async () => {
      attempts++
      const x = (await Counter.get({ name: 'sk_x' }))!
      const y = (await Counter.get({ name: 'sk_y' }))!
      if (attempts <= 2) {
        if (++read.n === 2) read.both.resolve()
        await read.both.promise
      }
      const target = mine === 'sk_x' ? x : y
      target.value = x.value + y.value + 1
    })()
    await Promise.all([skew('sk_x'), skew('sk_y')])
    assert.ok(attempts >= 3, `attempts: ${attempts}`)
    assert.deepEqual((await values('sk_x', 'sk_y')).sort(), [1, 2])
    await poolWhole(db)
  })

  it('an IntegrityError is never retried', async () => {
    await seed('uniq')
    let attempts = 0
    await assert.rejects(dbSession({ retry: 3 })(async () => {
      attempts++
      new Counter({ name: 'uniq', value: 1 })
    })(), IntegrityError)
    assert.equal(attempts, 1)
    await poolWhole(db)
  })
})

describe('SQLite busy: two connections to one file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinto-busy-'))
  const file = join(dir, 'busy.db')
  const one = new Database({ provider: 'sqlite', filename: file, timeout: 20 })
  const two = new Database({ provider: 'sqlite', filename: file, timeout: 20 })
  const first = defineCounters(one).Counter
  const second = defineCounters(two).Counter

  it('SQLITE_BUSY is an OperationalError without retry, and is retried with it until the writer is done', async () => {
    await one.generateMapping({ createTables: true })
    await two.generateMapping({ createTables: true })
    const writing = deferred()
    const finish = deferred()
    const writer = dbSession.run({ immediate: true }, async () => {
      new first({ name: 'w', value: 1 })
      await flush()
      writing.resolve()
      await finish.promise
    })
    await writing.promise
    await assert.rejects(dbSession({ immediate: true })(async () => { await second.get({ name: 'w' }) })(),
      (e: unknown) => e instanceof OperationalError && /^SQLITE_BUSY/.test(e.driverCode ?? ''))
    let attempts = 0
    const waiter = dbSession({ immediate: true, retry: 20 })(async () => {
      attempts++
      if (attempts === 2) finish.resolve()
      const w = (await second.get({ name: 'w' }))!
      w.value += 1
    })()
    await Promise.all([writer, waiter])
    assert.ok(attempts >= 2, `attempts: ${attempts}`)
    assert.equal(await dbSession.run(async () => (await first.get({ name: 'w' }))!.value), 2)
    await one.disconnect()
    await two.disconnect()
    rmSync(dir, { recursive: true, force: true })
  })
})
