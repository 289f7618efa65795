// Pools and drivers on each database: acquire timeout with its message,
// FIFO hand-off, pool size, streaming (whole, early break, with params,
// inside a transaction), a killed idle connection that must not crash the
// process, and the per-driver session setup.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { MappingError, OperationalError, ProgrammingError } from '../../compiler/errors.js'
import type { Dialect, DriverConnection } from '../../dialects/dialect.js'
import { eachTarget } from '../support/databases.js'
import { countingSql, eventually, openPool, withConnection } from './helpers.js'

async function collect(rows: AsyncIterable<unknown[]>, dialect: Dialect, limit = Infinity): Promise<number[]> {
  const out: number[] = []
  for await (const row of rows) {
    out.push(dialect.fromDb(row[0], 'int') as number)
    if (out.length >= limit) break
  }
  return out
}

const BACKEND_ID: Record<string, string> = { postgres: 'SELECT pg_backend_pid()', mysql: 'SELECT CONNECTION_ID()' }

eachTarget('pool', (target) => {
  it('acquire waits acquireTimeoutMs, then rejects with OperationalError saying how the pool is used', async () => {
    const { pool } = await openPool(target, { poolSize: 1, acquireTimeoutMs: 150 })
    const held = await pool.acquire()
    try {
      const started = Date.now()
      const waiting = pool.acquire()
      assert.deepEqual(pool.status(), { size: 1, inUse: 1, waiting: 1 })
      const error = await waiting.then(() => assert.fail('acquired'), (e: unknown) => e)
      assert.ok(error instanceof OperationalError)
      const match = /^pool exhausted: 1 of 1 connections in use, 1 waiting, waited (\d+) ms$/.exec(error.message)
      assert.ok(match !== null, error.message)
      assert.ok(Number(match[1]) >= 140 && Date.now() - started >= 140)
      assert.deepEqual(pool.status(), { size: 1, inUse: 1, waiting: 0 })
    } finally {
      held.release()
    }
    const again = await pool.acquire()
    assert.equal((await again.query('SELECT 1', [])).rows.length, 1)
    again.release()
    assert.deepEqual(pool.status(), { size: 1, inUse: 0, waiting: 0 })
    await pool.end()
    await assert.rejects(pool.acquire(), OperationalError)
  })

  it('waiters get connections in arrival order', async () => {
    const { pool } = await openPool(target, { poolSize: 1 })
    const first = await pool.acquire()
    const order: string[] = []
    const a = pool.acquire().then((c) => { order.push('a'); return c })
    const b = pool.acquire().then((c) => { order.push('b'); return c })
    first.release()
    const gotA = await a
    assert.deepEqual(order, ['a'])
    gotA.release()
    ;(await b).release()
    assert.deepEqual(order, ['a', 'b'])
    await pool.end()
  })

  it('opens up to poolSize connections (SQLite: always one)', async () => {
    const { dialect, pool } = await openPool(target, { poolSize: 3, acquireTimeoutMs: 200 })
    const size = dialect.name === 'sqlite' ? 1 : 3
    const conns: DriverConnection[] = []
    for (let i = 0; i < size; i++) conns.push(await pool.acquire())
    assert.deepEqual(pool.status(), { size, inUse: size, waiting: 0 })
    await assert.rejects(pool.acquire(), OperationalError)
    const query = BACKEND_ID[dialect.name]
    if (query !== undefined) {
      const ids = await Promise.all(conns.map(async (c) => String((await c.query(query, [])).rows[0]![0])))
      assert.equal(new Set(ids).size, size, 'distinct server connections')
    }
    for (const c of conns) c.release()
    await pool.end()
  })

  it('rejects bad pool options with MappingError', async () => {
    await assert.rejects(openPool(target, { poolSize: 0 }), MappingError)
    await assert.rejects(openPool(target, { acquireTimeoutMs: -1 }), MappingError)
  })

  it('streams all rows; with parameters; an early break leaves the connection usable', async () => {
    await withConnection(target, async (conn, dialect) => {
      const all = await collect(conn.stream(countingSql(1000), []), dialect)
      assert.equal(all.length, 1000)
      assert.deepEqual([all[0], all.at(-1)], [1, 1000])
      const p = dialect.flavor.placeholder(1)
      const tail = await collect(conn.stream(`${countingSql(1000)} WHERE x > ${p}`, [dialect.toDb(995, 'int')]), dialect)
      assert.deepEqual(tail, [996, 997, 998, 999, 1000])
      assert.deepEqual(await collect(conn.stream(countingSql(1000), []), dialect, 3), [1, 2, 3])
      assert.deepEqual((await conn.query('SELECT 7', [])).rows.map((r) => dialect.fromDb(r[0], 'int')), [7])
      await assert.rejects(collect(conn.stream('SELEC 1', []), dialect), ProgrammingError)
      assert.deepEqual((await conn.query('SELECT 8', [])).rows.map((r) => dialect.fromDb(r[0], 'int')), [8])
    })
  })

  it('streams inside a transaction and leaves it open; other queries may run between rows', async () => {
    await withConnection(target, async (conn, dialect) => {
      const [begin] = dialect.beginSql({ serializable: false, immediate: false })
      await conn.query(begin!, [])
      const seen: number[] = []
      for await (const row of conn.stream(countingSql(1000), [])) {
        seen.push(dialect.fromDb(row[0], 'int') as number)
        if (seen.length === 2) assert.deepEqual((await conn.query('SELECT 5', [])).rows.map((r) => dialect.fromDb(r[0], 'int')), [5])
      }
      assert.equal(seen.length, 1000)
      await conn.query('COMMIT', [])
    })
  })

  it('a connection killed while idle in the pool does not crash the process and is replaced', { skip: target.provider === 'sqlite' && 'no connection to kill in SQLite' }, async () => {
    const { dialect, pool } = await openPool(target, { poolSize: 2 })
    const killer = await openPool(target, { poolSize: 1 })
    try {
      const query = BACKEND_ID[dialect.name]!
      const a = await pool.acquire()
      const b = await pool.acquire()
      const ids = [String((await a.query(query, [])).rows[0]![0]), String((await b.query(query, [])).rows[0]![0])]
      a.release()
      b.release()
      const k = await killer.pool.acquire()
      for (const id of ids) await k.query(dialect.name === 'postgres' ? `SELECT pg_terminate_backend(${Number(id)})` : `KILL ${Number(id)}`, [])
      k.release()
      await eventually(() => a.broken && b.broken)
      const fresh = await pool.acquire()
      const id = String((await fresh.query(query, [])).rows[0]![0])
      assert.ok(!ids.includes(id), 'a new server connection')
      fresh.release()
      assert.equal(pool.status().inUse, 0)
    } finally {
      await pool.end()
      await killer.pool.end()
    }
  })
})
