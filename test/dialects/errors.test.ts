// Driver errors become pinto errors, provoked live on each database:
// IntegrityError (primary key, unique, foreign key, NOT NULL, CHECK),
// ProgrammingError (syntax, unknown table), OperationalError (lock timeouts,
// canceled statements, a killed connection — which also marks it broken).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { it } from 'node:test'
import { DatabaseError, IntegrityError, OperationalError, ProgrammingError } from '../../compiler/errors.js'
import type { Dialect, DriverConnection, ProviderName } from '../../dialects/dialect.js'
import { sqliteDialect } from '../../dialects/sqlite/index.js'
import { Enum, Int, primaryKey, required, set } from '../../runtime/model/attributes.js'
import { buildSchema } from '../../runtime/model/build-schema.js'
import { eachTarget } from '../support/databases.js'
import { insertSql, openPool, runAll, withConnection } from './helpers.js'

const schema = buildSchema({
  Item: { code: primaryKey(Int), name: required(String, { maxLen: 20, unique: true }), kind: required(Enum(['a', 'b'])), children: set('Child') },
  Child: { item: required('Item') },
})

type ErrorClass = typeof IntegrityError | typeof OperationalError | typeof ProgrammingError

/** Run `sql` expecting `Class`; checks the details every database error carries, and returns it. */
async function expectError(conn: DriverConnection, sql: string, params: unknown[], Class: ErrorClass): Promise<DatabaseError> {
  const error = await conn.query(sql, params).then(() => assert.fail(`no error from ${sql}`), (e: unknown) => e)
  assert.ok(error instanceof Class, `${String(error)} is not a ${Class.name}`)
  assert.equal(error.sql, sql)
  assert.deepEqual(error.params, params)
  assert.ok(error.cause instanceof Error, 'the driver error is the cause')
  assert.equal(typeof error.driverCode, 'string')
  assert.ok(error.message.endsWith(` — SQL: ${sql}`), error.message)
  assert.ok(error.message.startsWith((error.cause as Error).message))
  return error
}

const DUPLICATE_KEY_CODE: Record<ProviderName, string> = { sqlite: 'SQLITE_CONSTRAINT_PRIMARYKEY', postgres: '23505', mysql: 'ER_DUP_ENTRY' }
const UNKNOWN_TABLE_CODE: Record<ProviderName, string> = { sqlite: 'SQLITE_ERROR', postgres: '42P01', mysql: 'ER_NO_SUCH_TABLE' }

async function setUp(conn: DriverConnection, dialect: Dialect): Promise<void> {
  await runAll(conn, dialect.dropSchemaSql(schema))
  await runAll(conn, dialect.createSchemaSql(schema))
  await conn.query(insertSql(dialect, 'item', ['code', 'name', 'kind']), [1, 'one', 'a'])
}

eachTarget('errors', (target) => {
  it('IntegrityError for primary key, unique, foreign key, NOT NULL and CHECK violations', async () => {
    await withConnection(target, async (conn, dialect) => {
      await setUp(conn, dialect)
      const item = insertSql(dialect, 'item', ['code', 'name', 'kind'])
      const duplicate = await expectError(conn, item, [1, 'uno', 'a'], IntegrityError)
      assert.equal(duplicate.driverCode, DUPLICATE_KEY_CODE[dialect.name])
      await expectError(conn, item, [2, 'one', 'a'], IntegrityError)
      await expectError(conn, item, [3, null, 'a'], IntegrityError)
      await expectError(conn, item, [4, 'four', 'z'], IntegrityError)
      await expectError(conn, insertSql(dialect, 'child', ['item']), [99], IntegrityError)
      assert.equal(conn.broken, false)
      assert.equal((await conn.query('SELECT 1', [])).rows.length, 1, 'the connection is still usable')
    })
  })

  it('ProgrammingError for bad syntax and unknown tables', async () => {
    await withConnection(target, async (conn, dialect) => {
      await expectError(conn, 'SELEC 1', [], ProgrammingError)
      const unknown = await expectError(conn, `SELECT * FROM ${dialect.flavor.quoteId('no_such_table')}`, [], ProgrammingError)
      assert.equal(unknown.driverCode, UNKNOWN_TABLE_CODE[dialect.name])
      assert.equal(conn.broken, false)
    })
  })

  it('the message quotes long SQL only in part; error.sql keeps all of it', async () => {
    await withConnection(target, async (conn) => {
      const sql = `SELECT 1 FROM ${'x'.repeat(2000)}`
      const error = await conn.query(sql, []).then(() => assert.fail('no error'), (e: unknown) => e as DatabaseError)
      assert.equal(error.sql, sql)
      const quoted = error.message.split(' — SQL: ')[1]!
      assert.equal(quoted, `${sql.slice(0, 1000)}…`)
    })
  })

  const serverOnly = target.provider === 'sqlite' && 'a server-side lock, timeout or kill: SQLite has none of these'
  it('OperationalError (SQLITE_BUSY) when another connection holds the write lock', { skip: target.provider !== 'sqlite' && 'SQLite only' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinto-busy-'))
    const filename = join(dir, 'busy.db')
    const first = await sqliteDialect.createPool({ provider: 'sqlite', filename })
    const second = await sqliteDialect.createPool({ provider: 'sqlite', filename, timeout: 20 })
    const a = await first.acquire()
    const b = await second.acquire()
    try {
      await a.query('BEGIN IMMEDIATE', [])
      const busy = await expectError(b, 'BEGIN IMMEDIATE', [], OperationalError)
      assert.equal(busy.driverCode, 'SQLITE_BUSY')
      await a.query('ROLLBACK', [])
    } finally {
      a.release()
      b.release()
      await first.end()
      await second.end()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('OperationalError when a row lock is not granted in time; the connection survives', { skip: serverOnly }, async () => {
    const { dialect, pool } = await openPool(target, { poolSize: 2 })
    const holder = await pool.acquire()
    const waiter = await pool.acquire()
    try {
      await setUp(holder, dialect)
      const q = dialect.flavor.quoteId
      const update = `UPDATE ${q('item')} SET ${q('name')} = ${dialect.flavor.placeholder(1)} WHERE ${q('code')} = 1`
      await waiter.query(dialect.name === 'postgres' ? "SET lock_timeout = '100ms'" : 'SET SESSION innodb_lock_wait_timeout = 1', [])
      await runAll(holder, dialect.beginSql({ serializable: false, immediate: false }))
      await holder.query(update, ['held'])
      const error = await expectError(waiter, update, ['waiting'], OperationalError)
      assert.equal(error.driverCode, dialect.name === 'postgres' ? '55P03' : 'ER_LOCK_WAIT_TIMEOUT')
      assert.equal(waiter.broken, false)
      await holder.query('ROLLBACK', [])
    } finally {
      holder.release()
      waiter.release()
      await pool.end()
    }
  })

  it('OperationalError when a statement exceeds its time limit', { skip: serverOnly }, async () => {
    await withConnection(target, async (conn, dialect) => {
      const postgres = dialect.name === 'postgres'
      await conn.query(postgres ? "SET statement_timeout = '50ms'" : 'SET SESSION max_statement_time = 0.05', [])
      const error = await expectError(conn, postgres ? 'SELECT pg_sleep(2)' : 'SELECT SLEEP(2) FROM (SELECT 1) t', [], OperationalError)
      assert.equal(error.driverCode, postgres ? '57014' : '1969')
      assert.equal(conn.broken, false)
    })
  })

  it('OperationalError when the server kills the connection; it is marked broken and the pool replaces it', { skip: serverOnly }, async () => {
    const { dialect, pool } = await openPool(target, { poolSize: 2 })
    const victim = await pool.acquire()
    const killer = await pool.acquire()
    try {
      const postgres = dialect.name === 'postgres'
      const id = (await victim.query(postgres ? 'SELECT pg_backend_pid()' : 'SELECT CONNECTION_ID()', [])).rows[0]![0]
      await killer.query(postgres ? `SELECT pg_terminate_backend(${Number(id)})` : `KILL ${Number(id)}`, [])
      await expectError(victim, 'SELECT 1', [], OperationalError)
      assert.equal(victim.broken, true)
      victim.destroy()
      const fresh = await pool.acquire()
      assert.equal((await fresh.query('SELECT 1', [])).rows.length, 1)
      fresh.release()
    } finally {
      killer.release()
      await pool.end()
    }
  })
})
