// What each driver wrapper sets up: SQLite pragmas, registered functions,
// createDb and the shared ':memory:' connection; PostgreSQL's UTC session,
// private type parsers, extended protocol and server-side cursors; MariaDB's
// collation, time zone and sql_mode; and that binding SQLite loads no other
// driver package.
import assert from 'node:assert/strict'
import BetterSqlite3 from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { MappingError, ProgrammingError } from '../../compiler/errors.js'
import { sqliteDialect } from '../../dialects/sqlite/index.js'
import { eachTarget } from '../support/databases.js'
import { countingSql, openPool, withConnection } from './helpers.js'

describe('loading', () => {
  it('binding SQLite loads neither pg nor mysql2', () => {
    const script = `
      const { dialectFor } = await import('./dialects/index.ts')
      const pool = await dialectFor('sqlite').createPool({ provider: 'sqlite', filename: ':memory:' })
      await pool.end()
      const { createRequire } = await import('node:module')
      const loaded = Object.keys(createRequire(import.meta.url).cache)
      console.log(JSON.stringify(['better-sqlite3', 'pg', 'mysql2'].map((p) => loaded.some((f) => f.includes('/node_modules/' + p + '/')))))`
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname })
    assert.equal(result.status, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout.trim().split('\n').at(-1)!), [true, false, false])
  })

  it('a missing filename or a missing file with createDb: false is a MappingError', async () => {
    await assert.rejects(sqliteDialect.createPool({ provider: 'sqlite' }), MappingError)
    const missing = join(tmpdir(), `pinto-missing-${process.pid}.db`)
    await assert.rejects(sqliteDialect.createPool({ provider: 'sqlite', filename: missing, createDb: false }), MappingError)
    assert.equal(existsSync(missing), false)
  })
})

describe('SQLite driver', () => {
  it('a file database: created on demand, WAL, foreign keys on; destroy closes and reopens it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinto-file-'))
    const filename = join(dir, 'new.db')
    const pool = await sqliteDialect.createPool({ provider: 'sqlite', filename })
    try {
      assert.ok(existsSync(filename))
      const conn = await pool.acquire()
      assert.deepEqual((await conn.query('PRAGMA journal_mode', [])).rows, [['wal']])
      assert.deepEqual((await conn.query('PRAGMA foreign_keys', [])).rows, [[1n]])
      await conn.query('CREATE TABLE t (x INTEGER)', [])
      await conn.query('INSERT INTO t VALUES (?)', [42])
      conn.destroy()
      const again = await pool.acquire()
      assert.deepEqual((await again.query('SELECT x FROM t', [])).rows, [[42n]])
      again.release()
    } finally {
      await pool.end()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('oneRow reads the first row and stops (better-sqlite3 get), an empty result when there is none', async () => {
    const pool = await sqliteDialect.createPool({ provider: 'sqlite', filename: ':memory:' })
    try {
      const conn = await pool.acquire()
      await conn.query('CREATE TABLE t (x INTEGER PRIMARY KEY, y TEXT)', [])
      await conn.query('INSERT INTO t VALUES (1, ?), (2, ?)', ['a', 'b'])
      assert.deepEqual(await conn.query('SELECT x, y FROM t WHERE x = ?', [2], { oneRow: true }), { rows: [[2n, 'b']], affected: 1, insertId: null })
      assert.deepEqual(await conn.query('SELECT x, y FROM t WHERE x = ?', [3], { oneRow: true }), { rows: [], affected: 0, insertId: null })
      assert.deepEqual((await conn.query('SELECT x FROM t ORDER BY x', [], { oneRow: true })).rows, [[1n]])
      assert.deepEqual((await conn.query('SELECT x FROM t ORDER BY x', [])).rows, [[1n], [2n]])
      conn.release()
    } finally {
      await pool.end()
    }
  })

  it('keeps at most 256 prepared statements, evicting the least recently used', async () => {
    const pool = await sqliteDialect.createPool({ provider: 'sqlite', filename: ':memory:' })
    const prepare = BetterSqlite3.prototype.prepare
    const prepared: string[] = []
    // Every statement better-sqlite3 compiles goes through Database#prepare: a cache hit calls it no more.
    BetterSqlite3.prototype.prepare = function (this: BetterSqlite3.Database, sql: string) {
      prepared.push(sql)
      return prepare.call(this, sql)
    } as typeof prepare
    try {
      const conn = await pool.acquire()
      const oneOff = (i: number): string => `SELECT ${i} AS one_off`
      const hot = 'SELECT 0 AS hot'
      for (let i = 1; i <= 300; i++) {
        await conn.query(oneOff(i), [])
        if (i % 10 === 0) await conn.query(hot, [])
      }
      assert.equal(prepared.length, 301, 'each text is prepared once while it stays cached')
      // 301 texts through a cache of 256: the 45 oldest one-offs were evicted; the hot one, used all along, stayed.
      prepared.length = 0
      await conn.query(hot, [])
      for (let i = 46; i <= 300; i++) await conn.query(oneOff(i), [])
      assert.deepEqual(prepared, [], 'the 256 most recently used statements are still prepared')
      await conn.query(oneOff(45), [])
      await conn.query(oneOff(1), [])
      assert.deepEqual(prepared, [oneOff(45), oneOff(1)], 'the least recently used ones were evicted')
      conn.release()
    } finally {
      BetterSqlite3.prototype.prepare = prepare
      await pool.end()
    }
  })

  it("':memory:' is one shared connection: destroy keeps its data, release rolls back a forgotten transaction", async () => {
    const pool = await sqliteDialect.createPool({ provider: 'sqlite', filename: ':memory:' })
    const conn = await pool.acquire()
    await conn.query('CREATE TABLE t (x INTEGER)', [])
    await conn.query('BEGIN', [])
    await conn.query('INSERT INTO t VALUES (1)', [])
    conn.release()
    const next = await pool.acquire()
    assert.deepEqual((await next.query('SELECT count(*) FROM t', [])).rows, [[0n]])
    await next.query('INSERT INTO t VALUES (2)', [])
    next.destroy()
    const last = await pool.acquire()
    assert.deepEqual((await last.query('SELECT x FROM t', [])).rows, [[2n]])
    last.release()
    await pool.end()
  })

  it('registers pinto_upper / pinto_lower with JavaScript case mapping (#20); insertId and affected', async () => {
    await withConnection({ provider: 'sqlite', options: { provider: 'sqlite', filename: ':memory:' } }, async (conn) => {
      assert.deepEqual((await conn.query("SELECT pinto_upper('éß'), upper('é'), pinto_lower('Éİ'), pinto_upper(NULL)", [])).rows, [['ÉSS', 'é', 'éi̇', null]])
      await conn.query('CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)', [])
      assert.deepEqual(await conn.query('INSERT INTO t (x) VALUES (?), (?)', ['a', 'b']), { rows: [], affected: 2, insertId: 2 })
      assert.deepEqual(await conn.query('UPDATE t SET x = ?', ['c']), { rows: [], affected: 2, insertId: null })
      assert.deepEqual(await conn.query('INSERT INTO t (x) VALUES (?) RETURNING id', ['d']), { rows: [[3n]], affected: 1, insertId: null })
    })
  })
})

eachTarget('drivers', (target) => {
  if (target.provider === 'postgres') {
    it('sessions run in UTC with ISO dates; timestamps without zone read as UTC; pg global parsers untouched', async () => {
      await withConnection(target, async (conn) => {
        assert.deepEqual((await conn.query('SHOW TimeZone', [])).rows, [['UTC']])
        const { rows } = await conn.query("SELECT '2024-01-02 03:04:05.678'::timestamp, '2024-01-02 03:04:05.678+05:30'::timestamptz, '2024-01-02'::date, 9007199254740993::int8", [])
        assert.deepEqual(rows, [[new Date('2024-01-02T03:04:05.678Z'), new Date('2024-01-01T21:34:05.678Z'), '2024-01-02', '9007199254740993']])
        const pg = (await import('pg')).default
        assert.ok((pg.types.getTypeParser(1082, 'text') as (s: string) => unknown)('2024-01-02') instanceof Date, 'the global date parser is still pg’s')
      })
    })

    it('always the extended protocol: one statement per call', async () => {
      await withConnection(target, async (conn) => {
        await assert.rejects(conn.query('SELECT 1; SELECT 2', []), ProgrammingError)
      })
    })

    it('streams through a server-side cursor; a connection handed back inside a transaction is replaced', async () => {
      const { pool } = await openPool(target, { poolSize: 1 })
      const conn = await pool.acquire()
      let cursors: unknown = null
      for await (const row of conn.stream(countingSql(600), [])) {
        if (row[0] === 1) cursors = (await conn.query("SELECT count(*) FROM pg_cursors WHERE name LIKE 'pinto_cursor_%'", [])).rows[0]![0]
      }
      assert.equal(cursors, '1')
      const pid = (await conn.query('SELECT pg_backend_pid()', [])).rows[0]![0]
      await conn.query('BEGIN', [])
      conn.release()
      const next = await pool.acquire()
      assert.notEqual((await next.query('SELECT pg_backend_pid()', [])).rows[0]![0], pid)
      next.release()
      await pool.end()
    })
  }

  if (target.provider === 'mysql') {
    it('sessions use utf8mb4_nopad_bin, UTC and a strict sql_mode; one statement per call', async () => {
      await withConnection(target, async (conn) => {
        const { rows } = await conn.query('SELECT @@collation_connection, @@time_zone, @@sql_mode', [])
        assert.deepEqual(rows, [['utf8mb4_nopad_bin', '+00:00', 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION']])
        await assert.rejects(conn.query('SELECT 1; SELECT 2', []), ProgrammingError)
        await conn.query('CREATE TEMPORARY TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, x INT)', [])
        assert.deepEqual(await conn.query('INSERT INTO t (x) VALUES (?)', [5]), { rows: [], affected: 1, insertId: 1 })
        assert.deepEqual(await conn.query('UPDATE t SET x = ? WHERE id = 1', [5]), { rows: [], affected: 1, insertId: null }, 'found rows, not changed rows')
      })
    })
  }

  if (target.provider === 'sqlite') {
    it('returns 64-bit integers exactly (safeIntegers)', async () => {
      await withConnection(target, async (conn) => {
        assert.deepEqual((await conn.query('SELECT 9223372036854775807, ?', [-(2n ** 63n)])).rows, [[2n ** 63n - 1n, -(2n ** 63n)]])
      })
    })
  }
})
