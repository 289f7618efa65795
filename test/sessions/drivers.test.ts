// Driver hardening: pinto owns the drivers' error events (a child process with
// no listeners survives backends killed while idle and mid-transaction); one
// call never runs two statements (`;`-joined SQL is rejected on every
// dialect, with and without parameters); a parameter of the wrong type is a
// TypeError before any SQL (so MySQL's `token = 0` never matches every
// non-numeric token); the acquire timeout defaults to 30 s.
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { dbSession, DatabaseError, TranslationError } from '../../runtime/index.js'
import { dialectFor } from '../../dialects/index.js'
import { DEFAULT_ACQUIRE_TIMEOUT_MS, poolLimits } from '../../dialects/shared/pool.js'
import { eachTarget } from '../support/databases.js'
import { capture } from '../runtime/model.js'
import { useCounters } from './support.js'

it('the acquire timeout defaults to 30 s', () => {
  assert.equal(DEFAULT_ACQUIRE_TIMEOUT_MS, 30_000)
  assert.equal(poolLimits({}).acquireTimeoutMs, 30_000)
})

eachTarget('ses_drivers', (target) => {
  const { db, model } = useCounters(target, { poolSize: 2, acquireTimeoutMs: 5000 })
  const { Counter } = model

  it('one call runs one statement: `;`-joined statements are rejected, with and without parameters', async () => {
    const pool = await dialectFor(target.provider).createPool({ ...target.options, poolSize: 1 })
    const conn = await pool.acquire()
    try {
      const p = target.provider === 'postgres' ? '$1' : '?'
      await assert.rejects(conn.query('SELECT 1; SELECT 2', []), DatabaseError)
      await assert.rejects(conn.query(`SELECT ${p}; SELECT 2`, [1]), DatabaseError)
      await assert.rejects(conn.query('CREATE TABLE never_made (x INT); DROP TABLE counter', []), DatabaseError)
      assert.deepEqual((await conn.query('SELECT 1', [])).rows.length, 1)
    } finally {
      conn.release()
      await pool.end()
    }
    assert.equal(await dbSession.run(() => Counter.select(() => true).count()), 0)
  })

  it('a parameter of the wrong type is rejected before any SQL is sent (no `token = 0` matching every string)', async () => {
    await dbSession.run(async () => { new Counter({ name: 'abc', value: 1 }) })
    const { sql } = await capture(db, async () => {
      await assert.rejects(dbSession.run(() => Counter.get({ name: 0 as unknown as string })), TypeError)
      await assert.rejects(dbSession.run(() => Counter.select((c, $) => c.name === $.token, { token: 0 as unknown as string }).fetch()),
        (e: unknown) => e instanceof TypeError || e instanceof TranslationError)
    })
    assert.deepEqual(sql, [])
    // The control: the same calls with a string are sent, and capture sees one SELECT each.
    const control = await capture(db, async () => [
      (await dbSession.run(() => Counter.get({ name: 'abc' })))?.value,
      (await dbSession.run(() => Counter.select((c, $) => c.name === $.token, { token: 'abc' }).fetch())).map((c) => c.value),
    ])
    assert.deepEqual(control.result, [1, [1]])
    assert.equal(control.sql.filter((s) => /^SELECT .*counter/i.test(s)).length, 2, control.sql.join('\n'))
  })

  it('no crash without user listeners: a child process survives backends killed while idle and mid-transaction', { skip: target.provider === 'sqlite' && 'no connection to lose in SQLite', timeout: 30_000 }, () => {
    const script = fileURLToPath(new URL('./fixtures/kill-child.ts', import.meta.url))
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, JSON.stringify(target.options)], { encoding: 'utf8', timeout: 25_000 })
    assert.equal(child.status, 0, child.stderr)
    assert.match(child.stdout, /survived/)
  })
})
