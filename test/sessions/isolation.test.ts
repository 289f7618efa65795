// Isolation: 10,000 concurrent sessions (on SQLite, PostgreSQL and MariaDB
// alike: the size the issue asks for; 3–4 s on SQLite and 5–7 s on each
// server on a 2-core machine) interleave awaits, timers, setImmediate and
// driver callbacks.
// Each must keep seeing its own session, its own objects (one row is one
// object per session, never another session's), and its own connection (no
// connection is held by two live sessions at once). PINTO_ISOLATION_SESSIONS
// overrides the count.
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { setImmediate as immediate } from 'node:timers/promises'
import { dbSession, flush } from '../../runtime/index.js'
import type { DriverConnection } from '../../dialects/dialect.js'
import { currentSession, type Session } from '../../runtime/session/session.js'
import { eachTarget } from '../support/databases.js'
import { held, poolWhole, sleep, useCounters } from './support.js'

const ROWS = 50

eachTarget('ses_isolation', (target) => {
  const total = Number(process.env.PINTO_ISOLATION_SESSIONS ?? 10_000)
  const { db, model } = useCounters(target, { poolSize: 5, acquireTimeoutMs: 60_000 })
  const { Counter } = model

  it(`${total} concurrent sessions never share an object or a connection`, { timeout: 90_000 }, async () => {
    await dbSession.run(async () => { for (let i = 0; i < ROWS; i++) new Counter({ name: `iso${i}`, value: i }) })
    const owner = new WeakMap<object, Session>()
    const holder = new Map<DriverConnection, Session>()
    const crossings: string[] = []
    const check = (what: string, ok: boolean): void => { if (!ok) crossings.push(what) }
    const one = dbSession(async (i: number) => {
      const me = currentSession()!
      const name = `iso${i % ROWS}`
      const a = (await Counter.get({ name }))!
      check(`owner of ${name}`, !owner.has(a) || owner.get(a) === me)
      owner.set(a, me)
      await sleep(i % 3)
      check('session after a timer', currentSession() === me)
      await immediate()
      const b = await Counter.select((c, $) => c.name === $.name, { name }).first()
      check('identity map after a query', b === a && currentSession() === me)
      check('values', a.value === i % ROWS)
      if (i % 25 === 0) {
        a.seen = i
        await flush()
        const conn = held(db)!
        check('connection held by another live session', !holder.has(conn))
        holder.set(conn, me)
        await sleep(1)
        check('session while holding', currentSession() === me && held(db) === conn)
        holder.delete(conn)
      }
      return a
    })
    const start = performance.now()
    const objects = await Promise.all(Array.from({ length: total }, (_, i) => one(i)))
    const seconds = (performance.now() - start) / 1000
    assert.deepEqual(crossings, [])
    assert.equal(new Set(objects).size, total, 'every session had its own objects')
    await poolWhole(db)
    process.stdout.write(`# ${target.provider} isolation: ${total} concurrent sessions in ${seconds.toFixed(2)} s (${Math.round(total / seconds)} sessions/s), no crossing\n`)
  })
})
