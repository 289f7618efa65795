/**
 * The web scenarios both adapters must pass, over real HTTP on 127.0.0.1
 * (ephemeral port): a request's writes commit before its response, a failing
 * handler rolls back, a failing COMMIT answers 500, concurrent requests each
 * get their own session, and a client that aborts mid-request gets its
 * session rolled back and its connection returned while the handler still
 * runs (a session waiting for a connection gets it); the abandoned handler
 * then finds its session over. Each adapter supplies a server with
 * the routes below.
 */
import { after, it } from 'node:test'
import assert from 'node:assert/strict'
import { dbSession, flush, type Database } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { deferred, poolWhole, useCounters, waitFor, type Counters } from '../sessions/support.js'

export interface Hang {
  reached: () => void
  release: Promise<void>
  after: (outcome: unknown) => void
}

export interface Routes {
  create(name: string): Promise<{ id: number }>
  fail(name: string): Promise<never>
  dup(name: string): Promise<{ ok: true }>
  hang(name: string): Promise<{ ok: true }>
}

export type StartServer = (routes: Routes) => Promise<{ url: string; close: () => Promise<void> }>

export function webScenarios(tag: string, start: StartServer): void {
  eachTarget(tag, (target) => {
    const { db, model } = useCounters(target, { poolSize: 3, acquireTimeoutMs: 5000 })
    let hang: Hang = { reached: () => undefined, release: Promise.resolve(), after: () => undefined }
    const routes = routesFor(model, () => hang)
    let server: { url: string; close: () => Promise<void> } | null = null
    const url = async (path: string): Promise<string> => {
      server ??= await start(routes)
      return `${server.url}${path}`
    }
    const count = (name: string) => dbSession.run(() => model.Counter.select((c, $) => c.name === $.name, { name }).count())

    it('the writes of a request are committed before its response', async () => {
      const res = await fetch(await url('/create?name=web1'), { method: 'POST' })
      assert.equal(res.status, 200)
      const body = await res.json() as { id: number }
      assert.equal(typeof body.id, 'number')
      assert.equal(await count('web1'), 1)
      await poolWhole(db)
    })

    it('a handler that throws gets a 500 and its writes are rolled back', async () => {
      const res = await fetch(await url('/fail?name=web2'), { method: 'POST' })
      assert.equal(res.status, 500)
      await res.arrayBuffer()
      assert.equal(await count('web2'), 0)
      await poolWhole(db)
    })

    it('a COMMIT that fails (duplicate key at the final flush) answers 500, not success', async () => {
      const res = await fetch(await url('/dup?name=web1'), { method: 'POST' })
      assert.equal(res.status, 500)
      await res.arrayBuffer()
      assert.equal(await count('web1'), 1)
      await poolWhole(db)
    })

    it('20 concurrent requests: each its own session, all committed, the pool whole', async () => {
      const responses = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
        const res = await fetch(await url(`/create?name=many${i}`), { method: 'POST' })
        return [res.status, (await res.json() as { id: number }).id] as const
      }))
      assert.ok(responses.every(([status]) => status === 200))
      assert.equal(new Set(responses.map(([, id]) => id)).size, 20)
      assert.equal(await dbSession.run(() => model.Counter.select((c) => c.name.startsWith('many')).count()), 20)
      await poolWhole(db)
    })

    it('a client that aborts mid-request: rolled back, its connection serves the next waiter while the handler still hangs, the abandoned handler cannot go on', { timeout: 30_000 }, async () => {
      const reached = deferred()
      const release = deferred()
      const after = deferred<unknown>()
      let handlerWentOn = false
      void after.promise.then(() => { handlerWentOn = true })
      hang = { reached: () => reached.resolve(), release: release.promise, after: (outcome) => after.resolve(outcome) }
      const abort = new AbortController()
      const request = fetch(await url('/hang?name=aborted'), { method: 'POST', signal: abort.signal }).catch((e: unknown) => e)
      await reached.promise
      assert.equal((await db.poolStatus()).inUse, 1, 'the handler holds a connection after its first write')
      // The other connections are held by sessions that do not end yet, and one more session waits for a connection.
      const { size } = await db.poolStatus()
      const holdersRelease = deferred()
      const wrote = Array.from({ length: size - 1 }, () => deferred())
      const holding = wrote.map((w, i) => dbSession.run(async () => {
        new model.Counter({ name: `holder${i}`, value: 1 })
        await flush()
        w.resolve()
        await holdersRelease.promise
      }))
      await Promise.all(wrote.map((w) => w.promise))
      const waiter = dbSession.run(async () => { new model.Counter({ name: 'waiter', value: 1 }) }).then(() => 'committed', (e: unknown) => e)
      await waitFor('a session to wait for a connection', async () => (await db.poolStatus()).waiting === 1)
      assert.deepEqual(await db.poolStatus(), { size, inUse: size, waiting: 1 })
      abort.abort()
      assert.ok((await request) instanceof Error)
      // Only the aborted request's connection can serve the waiter; without it the waiter is rejected by the acquire timeout.
      assert.equal(await waiter, 'committed', 'the waiter was served by the connection the aborted request gave back')
      assert.equal(handlerWentOn, false, 'the handler is still hanging')
      assert.deepEqual(await db.poolStatus(), { size, inUse: size - 1, waiting: 0 })
      assert.equal(await count('waiter'), 1)
      assert.equal(await count('aborted'), 0)
      holdersRelease.resolve()
      await Promise.all(holding)
      release.resolve()
      const outcome = await after.promise
      assert.ok(outcome instanceof Error, `the handler's next call fails: ${String(outcome)}`)
      assert.equal(await count('aborted'), 0)
      await poolWhole(db)
    })

    after(async () => {
      await server?.close()
      server = null
    })
  })
}

function routesFor(model: Counters, hang: () => Hang): Routes {
  const { Counter } = model
  return {
    async create(name) {
      const c = new Counter({ name, value: 1 })
      await flush()
      return { id: c.id }
    },
    async fail(name) {
      new Counter({ name, value: 1 })
      await flush()
      throw new Error('handler failed')
    },
    async dup(name) {
      new Counter({ name, value: 1 })
      return { ok: true }
    },
    async hang(name) {
      const h = hang()
      new Counter({ name, value: 1 })
      await flush()
      h.reached()
      await h.release
      try {
        await Counter.select((c) => c.value > 0).count()
        h.after('the session went on')
      } catch (error) {
        h.after(error)
      }
      return { ok: true }
    },
  }
}

export type { Database }
