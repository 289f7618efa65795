// PostgreSQL named prepared statements: which SQL gets a name (deterministic,
// data statements only, bounded), that a repeated query really runs as a
// server-side prepared statement on every connection that uses it, that
// sessions keep the server's plan caching, and that a statement gone stale (a selected
// column changed type; DEALLOCATE ALL) is prepared again outside a
// transaction and, inside one, fails like any statement and works after
// ROLLBACK.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { IntegrityError } from '../../compiler/errors.js'
import type { DriverConnection } from '../../dialects/dialect.js'
import { MAX_LARGE_NAMED, MAX_NAMED_PARAMS, StatementNames } from '../../dialects/postgres/statement-names.js'
import { eachTarget, type TestTarget } from '../support/databases.js'
import { openPool, withConnection } from './helpers.js'

const SELECT_V = 'SELECT v FROM prep_t WHERE id = $1'

/** The names of the server-side prepared statements of this connection that hold `sql`. */
async function preparedNames(conn: DriverConnection, sql: string): Promise<unknown[]> {
  const { rows } = await conn.query('SELECT name FROM pg_prepared_statements WHERE statement = $1', [sql])
  return rows.map((row) => row[0])
}

async function freshTable(target: TestTarget): Promise<void> {
  await withConnection(target, async (conn) => {
    await conn.query('DROP TABLE IF EXISTS prep_t', [])
    await conn.query('CREATE TABLE prep_t (id INT PRIMARY KEY, v INT NOT NULL)', [])
    await conn.query('INSERT INTO prep_t (id, v) VALUES (1, 10), (2, 20)', [])
  })
}

describe('statement names', () => {
  it('are deterministic, one per SQL text, for parameterised data statements', () => {
    const names = new StatementNames()
    const a = names.nameFor('SELECT x FROM t WHERE id = $1', 1)
    assert.match(a ?? '', /^pinto_\d+$/)
    assert.equal(names.nameFor('SELECT x FROM t WHERE id = $1', 1), a)
    for (const sql of [' insert into t values ($1)', 'UPDATE t SET x = $1', 'DELETE FROM t WHERE id = $1', 'WITH c AS (SELECT $1::int) SELECT * FROM c', '(SELECT $1) UNION (SELECT 2)']) {
      assert.notEqual(names.nameFor(sql, 1), undefined, sql)
    }
    assert.equal(new Set([a, ...['UPDATE t SET x = $1', 'DELETE FROM t WHERE id = $1'].map((s) => names.nameFor(s, 1))]).size, 3)
  })

  it('never name transaction control, settings, DDL, cursors or other utility statements', () => {
    const names = new StatementNames()
    for (const sql of ['BEGIN', 'COMMIT', 'ROLLBACK', 'SET x = 1', 'CREATE TABLE t (id INT)', 'ALTER TABLE t ADD c INT', 'DROP TABLE t', 'DECLARE c CURSOR FOR SELECT 1', 'FETCH FORWARD 5 FROM c', 'DEALLOCATE ALL', 'EXPLAIN SELECT 1', 'SELECTED']) {
      assert.equal(names.nameFor(sql, 0), undefined, sql)
      assert.equal(names.nameFor(sql, 0), undefined, `${sql}, again`)
      assert.equal(names.nameFor(sql, 1), undefined, `${sql}, with a parameter`)
    }
  })

  it('name a statement without parameters only when its text comes again', () => {
    const names = new StatementNames()
    assert.equal(names.nameFor('SELECT 1', 0), undefined)
    const second = names.nameFor('SELECT 1', 0)
    assert.notEqual(second, undefined)
    assert.equal(names.nameFor('SELECT 1', 0), second)
  })

  it('name a statement with more than MAX_NAMED_PARAMS parameters only from its second run, and at most MAX_LARGE_NAMED of them', () => {
    const names = new StatementNames()
    const insert = (rows: number): string => `INSERT INTO t (a) VALUES ${Array.from({ length: rows }, (_, i) => `($${i + 1})`).join(', ')}`
    const small = `SELECT ${Array.from({ length: MAX_NAMED_PARAMS }, (_, i) => `$${i + 1}`).join(', ')}`
    assert.notEqual(names.nameFor(small, MAX_NAMED_PARAMS), undefined, 'up to the limit: named at once')
    const big = MAX_NAMED_PARAMS + 1
    assert.equal(names.nameFor(insert(big), big), undefined, 'first run: unnamed')
    const named = names.nameFor(insert(big), big)
    assert.notEqual(named, undefined, 'second run: named')
    assert.equal(names.nameFor(insert(big), big), named)
    for (let k = 1; k < MAX_LARGE_NAMED; k++) {
      names.nameFor(insert(big + k), big + k)
      assert.notEqual(names.nameFor(insert(big + k), big + k), undefined)
    }
    const past = big + MAX_LARGE_NAMED
    names.nameFor(insert(past), past)
    assert.equal(names.nameFor(insert(past), past), undefined, 'past MAX_LARGE_NAMED large texts: unnamed')
    assert.equal(names.size, 1 + MAX_LARGE_NAMED)
  })

  it('are bounded: past the limit, new texts run unnamed and known ones keep their name', () => {
    const names = new StatementNames(3)
    const first = names.nameFor('SELECT $1', 1)
    names.nameFor('SELECT $1, 2', 1)
    names.nameFor('SELECT $1, 3', 1)
    assert.equal(names.nameFor('SELECT $1, 4', 1), undefined)
    assert.equal(names.nameFor('SELECT 5', 0), undefined)
    assert.equal(names.nameFor('SELECT 5', 0), undefined)
    assert.equal(names.size, 3)
    assert.equal(names.nameFor('SELECT $1', 1), first)
  })
})

eachTarget('pgprepared', (target) => {
  it("sessions keep the server's plan caching (auto: a generic plan only when not estimated dearer)", async () => {
    await withConnection(target, async (conn) => {
      assert.deepEqual((await conn.query('SHOW plan_cache_mode', [])).rows, [['auto']])
    })
  })

  it('a parameterised query is a named prepared statement on each connection that runs it, a new connection included', async () => {
    await freshTable(target)
    const { pool } = await openPool(target, { poolSize: 2 })
    const [a, b] = [await pool.acquire(), await pool.acquire()]
    for (const conn of [a, b]) {
      assert.deepEqual((await conn.query(SELECT_V, [2])).rows, [[20]])
      assert.deepEqual((await conn.query(SELECT_V, [1])).rows, [[10]])
      const names = await preparedNames(conn, SELECT_V)
      assert.equal(names.length, 1)
      assert.match(String(names[0]), /^pinto_\d+$/)
    }
    assert.deepEqual(await preparedNames(a, SELECT_V), await preparedNames(b, SELECT_V), 'one name per SQL text')
    a.release()
    b.release()
    await pool.end()
    await withConnection(target, async (conn) => {
      assert.deepEqual((await conn.query(SELECT_V, [1])).rows, [[10]], 'a new client parses the statement again')
    })
    await withConnection(target, async (conn) => {
      assert.deepEqual(await preparedNames(conn, 'BEGIN'), [])
      await conn.query('BEGIN', [])
      await conn.query('COMMIT', [])
      const { rows } = await conn.query("SELECT count(*) FROM pg_prepared_statements WHERE statement !~* '^\\s*\\(*\\s*(SELECT|INSERT|UPDATE|DELETE|WITH)'", [])
      assert.deepEqual(rows, [['0']], 'only data statements are prepared')
    })
  })

  it('a column changing type under a prepared query (another connection): re-prepared outside a transaction, the right result', async () => {
    await freshTable(target)
    const { pool } = await openPool(target, { poolSize: 2 })
    const conn = await pool.acquire()
    const other = await pool.acquire()
    try {
      assert.deepEqual((await conn.query(SELECT_V, [1])).rows, [[10]])
      const before = await preparedNames(conn, SELECT_V)
      assert.equal(before.length, 1)
      await other.query('ALTER TABLE prep_t ALTER COLUMN v TYPE TEXT', [])
      assert.deepEqual((await conn.query(SELECT_V, [1])).rows, [['10']])
      assert.deepEqual(await preparedNames(conn, SELECT_V), before, 'prepared again under the same name')
      await conn.query('ALTER TABLE prep_t ALTER COLUMN v TYPE BIGINT USING v::bigint', [])
      assert.deepEqual((await conn.query(SELECT_V, [2])).rows, [['20']], 'same connection: bigint (as a string)')
    } finally {
      conn.release()
      other.release()
      await pool.end()
    }
  })

  it('inside a transaction a stale statement fails as a statement does; after ROLLBACK it is prepared again', async () => {
    await freshTable(target)
    const { pool } = await openPool(target, { poolSize: 2 })
    const conn = await pool.acquire()
    const other = await pool.acquire()
    try {
      assert.deepEqual((await conn.query(SELECT_V, [1])).rows, [[10]])
      await other.query('ALTER TABLE prep_t ALTER COLUMN v TYPE TEXT', [])
      await conn.query('BEGIN', [])
      await assert.rejects(conn.query(SELECT_V, [1]), /cached plan must not change result type/)
      await assert.rejects(conn.query(SELECT_V, [1]), /current transaction is aborted/)
      await conn.query('ROLLBACK', [])
      assert.deepEqual((await conn.query(SELECT_V, [1])).rows, [['10']])
      assert.equal((await preparedNames(conn, SELECT_V)).length, 1)
    } finally {
      conn.release()
      other.release()
      await pool.end()
    }
  })

  it('a statement that no longer exists on the server (DEALLOCATE ALL) is prepared again', async () => {
    await freshTable(target)
    await withConnection(target, async (conn) => {
      assert.deepEqual((await conn.query(SELECT_V, [1])).rows, [[10]])
      await conn.query('DEALLOCATE ALL', [])
      assert.deepEqual((await conn.query(SELECT_V, [2])).rows, [[20]])
      assert.equal((await preparedNames(conn, SELECT_V)).length, 1)
    })
  })

  it('a named statement failing inside a transaction aborts it like any statement; the statement stays usable', async () => {
    await freshTable(target)
    const insert = 'INSERT INTO prep_t (id, v) VALUES ($1, $2)'
    await withConnection(target, async (conn) => {
      await conn.query(insert, [3, 30])
      await conn.query('BEGIN', [])
      await assert.rejects(conn.query(insert, [3, 31]), IntegrityError)
      await assert.rejects(conn.query(insert, [4, 40]), /current transaction is aborted/)
      await conn.query('ROLLBACK', [])
      await conn.query(insert, [4, 40])
      assert.deepEqual((await conn.query('SELECT id, v FROM prep_t WHERE id >= $1 ORDER BY id', [3])).rows, [[3, 30], [4, 40]])
      assert.equal((await preparedNames(conn, insert)).length, 1)
    })
  })
}, { only: ['postgres'] })
