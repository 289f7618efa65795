// A commit whose flush writes one statement and nothing else sends it alone,
// without BEGIN and COMMIT (the statement is atomic by itself): one INSERT of
// new objects of one entity, or one single-row UPDATE. Everything else keeps
// its transaction: two statements, a batched UPDATE (its checks may fail
// after it wrote some rows), an after-hook (it may start a second round), a
// flush before a query (the session may still fail), an `immediate` session,
// a transaction already open. Live on every database: statements captured,
// rows read back, failures leave nothing behind.
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { CommitException, Database, dbSession, IntegrityError, Int, OptimisticCheckError, required, set, sql } from '../../runtime/index.js'
import { eachTarget, type TestTarget } from '../support/databases.js'
import { capture } from '../runtime/model.js'
import { SessionDb } from '../../runtime/session/session-db.js'
import { deferred, killSql, optionsFor, poolWhole, useAdmin, waitFor } from './support.js'
import { useTables } from '../support/tables.js'

function defineShop(db: Database) {
  return db.define({
    Shelf: {
      label: required(String, { unique: true }),
      stock: required(Int),
      items: set('Item'),
    },
    Item: {
      shelf: required('Shelf'),
      code: required(String),
    },
    Audited: {
      code: required(String),
      $hooks: { afterInsert: () => undefined },
    },
  })
}

function useShop(target: TestTarget): { db: Database; model: ReturnType<typeof defineShop> } {
  const db = new Database(optionsFor(target, { poolSize: 4, acquireTimeoutMs: 10_000 }))
  const model = defineShop(db)
  useTables(db)
  return { db, model }
}

/** How `fn` settled, and how many statements ran alone meanwhile (SessionDb's `runAlone`, the mechanism under test). */
async function countAlone<T>(fn: () => Promise<T>): Promise<{ settled: PromiseSettledResult<T>; alone: number }> {
  const proto = SessionDb.prototype as unknown as { runAlone: (...args: unknown[]) => Promise<unknown> }
  const runAlone = proto.runAlone
  let alone = 0
  proto.runAlone = function (this: unknown, ...args: unknown[]) {
    alone++
    return runAlone.apply(this, args)
  }
  try {
    const [settled] = await Promise.allSettled([fn()])
    return { settled: settled!, alone }
  } finally {
    proto.runAlone = runAlone
  }
}

/** The statements `fn` sent, and how many of them ran alone. */
async function captureSent<T>(db: Database, fn: () => Promise<T>): Promise<{ result: T; sql: string[]; alone: number }> {
  const { settled, alone } = await countAlone(() => capture(db, fn))
  if (settled.status === 'rejected') throw settled.reason
  return { ...settled.value, alone }
}

const isTransaction = (sql: string): boolean => /^(BEGIN|START TRANSACTION|COMMIT|SET TRANSACTION)/i.test(sql)
const writes = (sql: readonly string[]): string[] => sql.filter((s) => /^(INSERT|UPDATE|DELETE|WITH)/i.test(s))

eachTarget('ses_sole_write', (target) => {
  const { db, model } = useShop(target)
  const { Shelf, Item, Audited } = model
  const admin = useAdmin(target)

  const stockOf = (label: string): Promise<number | null> => dbSession.run(async () => (await Shelf.get({ label }))?.stock ?? null)

  it('one new object: its INSERT alone, no BEGIN or COMMIT; the key is read back and the row is there', async () => {
    const { result: id, sql, alone } = await captureSent(db, () => dbSession.run(async () => new Shelf({ label: 'one', stock: 1 })).then((s) => s.id))
    assert.equal(writes(sql).length, 1, sql.join('\n'))
    assert.deepEqual(sql.filter(isTransaction), [], sql.join('\n'))
    assert.equal(alone, 1)
    assert.equal(typeof id, 'number')
    assert.equal(await dbSession.run(async () => (await Shelf.get(id))?.label), 'one')
  })

  it('several new objects of one entity in one multi-row INSERT: alone too, every key read back', async () => {
    const { result: ids, sql, alone } = await captureSent(db, () => dbSession.run(async () => [1, 2, 3].map((i) => new Shelf({ label: `many${i}`, stock: i }))).then((xs) => xs.map((x) => x.id)))
    assert.deepEqual(sql.filter(isTransaction), [], sql.join('\n'))
    assert.equal(writes(sql).length, 1, sql.join('\n'))
    assert.equal(alone, 1)
    assert.equal(new Set(ids).size, 3)
    const stored = await dbSession.run(async () => Promise.all(ids.map(async (id) => (await Shelf.get(id))!.stock)))
    assert.deepEqual(stored, [1, 2, 3])
  })

  it('one changed object: read, then its single-row UPDATE alone; a concurrent change is still an OptimisticCheckError', async () => {
    await dbSession.run(async () => { new Shelf({ label: 'upd', stock: 5 }) })
    const { sql, alone } = await captureSent(db, () => dbSession.run(async () => { (await Shelf.get({ label: 'upd' }))!.stock = 6 }))
    assert.equal(alone, 1)
    assert.deepEqual(sql.filter(isTransaction), [], sql.join('\n'))
    assert.equal(writes(sql).length, 1)
    assert.equal(await stockOf('upd'), 6)
    const read = deferred()
    const go = deferred()
    const conflict = dbSession.run(async () => {
      const shelf = (await Shelf.get({ label: 'upd' }))!
      assert.equal(shelf.stock, 6)
      read.resolve()
      await go.promise
      shelf.stock = 7
    })
    await read.promise
    await dbSession.run(async () => { (await Shelf.get({ label: 'upd' }))!.stock = 100 })
    go.resolve()
    await assert.rejects(conflict, OptimisticCheckError)
    assert.equal(await stockOf('upd'), 100)
  })

  it('a failing sole INSERT (a duplicate unique key) writes nothing and reports the IntegrityError', async () => {
    await dbSession.run(async () => { new Shelf({ label: 'dup', stock: 1 }) })
    const { settled, alone } = await countAlone(() => dbSession.run(async () => { new Shelf({ label: 'dup', stock: 2 }) }))
    assert.equal(settled.status, 'rejected')
    assert.ok(settled.status === 'rejected' && settled.reason instanceof IntegrityError, String(settled.status === 'rejected' ? settled.reason : ''))
    assert.equal(alone, 1)
    assert.equal(await stockOf('dup'), 1)
  })

  it('two statements keep the transaction: a parent and its child, two changed rows of two shapes', async () => {
    const { sql, alone } = await captureSent(db, () => dbSession.run(async () => {
      const shelf = new Shelf({ label: 'parent', stock: 1 })
      new Item({ shelf, code: 'child' })
    }))
    assert.equal(writes(sql).length, 2, sql.join('\n'))
    assert.equal(alone, 0)
    assert.ok(sql.filter(isTransaction).length >= 2, sql.join('\n'))
    await dbSession.run(async () => { new Shelf({ label: 'a2', stock: 1 }); new Shelf({ label: 'b2', stock: 1 }) })
    const changed = await captureSent(db, () => dbSession.run(async () => {
      ;(await Shelf.get({ label: 'a2' }))!.stock = 2
      ;(await Shelf.get({ label: 'b2' }))!.label = 'b3'
    }))
    assert.ok(changed.sql.some(isTransaction), changed.sql.join('\n'))
    assert.equal(changed.alone, 0)
  })

  it('a batched UPDATE keeps the transaction: a failed check on one row leaves every row unchanged', async () => {
    await dbSession.run(async () => { for (const label of ['x1', 'x2', 'x3']) new Shelf({ label, stock: 0 }) })
    const batched = await captureSent(db, () => dbSession.run(async () => {
      for (const label of ['x1', 'x2', 'x3']) (await Shelf.get({ label }))!.stock = 1
    }))
    assert.ok(batched.sql.some(isTransaction), batched.sql.join('\n'))
    assert.equal(batched.alone, 0)
    const read = deferred()
    const go = deferred()
    const failed = dbSession.run(async () => {
      const shelves = await Promise.all(['x1', 'x2', 'x3'].map(async (label) => (await Shelf.get({ label }))!))
      assert.deepEqual(shelves.map((x) => x.stock), [1, 1, 1])
      read.resolve()
      await go.promise
      for (const shelf of shelves) shelf.stock = 2
    })
    await read.promise
    await dbSession.run(() => db.execute(sql`UPDATE shelf SET stock = ${9} WHERE label = ${'x3'}`))
    go.resolve()
    await assert.rejects(failed, OptimisticCheckError)
    assert.deepEqual([await stockOf('x1'), await stockOf('x2'), await stockOf('x3')], [1, 1, 9])
  })

  it('an after-hook, a flush before a query, an immediate session and an open transaction keep BEGIN and COMMIT', async () => {
    const hooked = await captureSent(db, () => dbSession.run(async () => { new Audited({ code: 'h' }) }))
    assert.ok(hooked.sql.some(isTransaction), hooked.sql.join('\n'))
    const early = await captureSent(db, () => dbSession.run(async () => {
      new Shelf({ label: 'early', stock: 1 })
      return Shelf.select((s) => s.stock > 0).count()
    }))
    assert.ok(early.sql.some(isTransaction), early.sql.join('\n'))
    const immediate = await captureSent(db, () => dbSession({ immediate: true })(async () => { new Shelf({ label: 'imm', stock: 1 }) })())
    assert.ok(immediate.sql.some(isTransaction), immediate.sql.join('\n'))
    const open = await captureSent(db, () => dbSession.run(async () => {
      await Shelf.getForUpdate((await Shelf.get({ label: 'imm' }))!.id)
      new Shelf({ label: 'open', stock: 1 })
    }))
    assert.ok(open.sql.some(isTransaction), open.sql.join('\n'))
    assert.deepEqual([hooked.alone, early.alone, immediate.alone, open.alone], [0, 0, 0, 0], 'none of these ran a statement alone')
    assert.deepEqual([await stockOf('early'), await stockOf('imm'), await stockOf('open')], [1, 1, 1])
  })

  it('a connection lost during a sole write: CommitException with outcomeUnknown, not re-run', { skip: target.provider === 'sqlite' && 'no connection to lose in SQLite' }, async () => {
    const pg = target.provider === 'postgres'
    await dbSession.run(async () => { new Shelf({ label: 'lost', stock: 1 }) })
    const locker = await admin()
    const watcher = await admin()
    try {
      await locker.query(pg ? 'BEGIN' : 'START TRANSACTION', [])
      await locker.query(`SELECT * FROM shelf WHERE label = ${pg ? '$1' : '?'} FOR UPDATE`, ['lost'])
      let attempts = 0
      const session = dbSession({ retry: 3 })(async () => {
        attempts++
        ;(await Shelf.get({ label: 'lost' }))!.stock = 2
      })().then(() => null, (e: unknown) => e)
      const waitingSql = pg
        ? "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE%shelf%'"
        : "SELECT id FROM information_schema.processlist WHERE info LIKE 'UPDATE%shelf%'"
      let backend: unknown
      await waitFor('the UPDATE to wait on the lock', async () => {
        backend = (await watcher.query(waitingSql, [])).rows[0]?.[0]
        return backend !== undefined
      })
      await watcher.query(killSql(target.provider, backend), [])
      const error = await session
      assert.ok(error instanceof CommitException, String(error))
      assert.equal(error.outcomeUnknown, true)
      assert.match(error.message, /outcome is unknown/)
      assert.equal(attempts, 1)
    } finally {
      await locker.query('ROLLBACK', []).catch(() => undefined)
      locker.release()
      watcher.release()
    }
    assert.equal(await stockOf('lost'), 1)
    await poolWhole(db)
  })

  it('a session that fails after creating an object writes nothing', async () => {
    await assert.rejects(dbSession.run(async () => {
      new Shelf({ label: 'never', stock: 1 })
      throw new Error('boom')
    }), /boom/)
    assert.equal(await stockOf('never'), null)
  })
})
