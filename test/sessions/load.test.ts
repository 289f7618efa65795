// Load: 2,000 sessions, 50 at a time, on a pool of 5 (SQLite: its one
// connection), each a read-modify-write of one of 10 shared counters with
// `retry`. No lost update (each counter equals the increments that
// committed), no leaked connection (the pool whole at the end), no hang (a
// time limit). Prints sessions per second and the retries needed.
// PINTO_LOAD_SESSIONS scales the total.
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { dbSession } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { poolWhole, useCounters } from './support.js'

const TOTAL = Number(process.env.PINTO_LOAD_SESSIONS ?? 2000)
const CONCURRENCY = 50
const COUNTERS = 10

eachTarget('ses_load', (target) => {
  const { db, model } = useCounters(target, { poolSize: 5, acquireTimeoutMs: 30_000 })
  const { Counter } = model

  it(`${TOTAL} read-modify-write sessions, ${CONCURRENCY} concurrent, pool of 5: no lost update, no leak, no hang`, { timeout: 60_000 }, async () => {
    await dbSession.run(async () => { for (let i = 0; i < COUNTERS; i++) new Counter({ name: `load${i}`, value: 0 }) })
    const committed = new Array<number>(COUNTERS).fill(0)
    let attempts = 0
    let failed = 0
    let next = 0
    const increment = dbSession({ retry: 50 })(async (k: number) => {
      attempts++
      const c = (await Counter.get({ name: `load${k}` }))!
      c.value += 1
    })
    const worker = async (): Promise<void> => {
      for (let n = next++; n < TOTAL; n = next++) {
        const k = n % COUNTERS
        await increment(k).then(() => { committed[k]!++ }, () => { failed++ })
      }
    }
    const start = performance.now()
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    const seconds = (performance.now() - start) / 1000
    const values = await dbSession.run(() => Promise.all(committed.map(async (_, k) => (await Counter.get({ name: `load${k}` }))!.value)))
    assert.deepEqual(values, committed, 'each counter equals its committed increments')
    assert.equal(committed.reduce((a, b) => a + b, 0) + failed, TOTAL)
    await poolWhole(db)
    process.stdout.write(`# ${target.provider} load: ${TOTAL} sessions in ${seconds.toFixed(2)} s = ${(TOTAL / seconds).toFixed(0)} sessions/s; ${attempts - TOTAL} retries (${((attempts - TOTAL) / TOTAL).toFixed(2)} per session); ${failed} gave up\n`)
    assert.equal(failed, 0, 'no session ran out of retries')
  })
})
