// Batched UPDATEs, live on every database: objects whose UPDATEs have one
// shape (entity, columns set, columns checked, null-ness of the values read)
// go in one statement per chunk; each row's key and optimistic checks are
// still tested, so a conflict on one row of a batch fails the flush with an
// OptimisticCheckError naming that object and nothing of the batch is
// committed. Mixed shapes get one statement each, a null value read is an
// IS NULL test of its own shape, a group of one is today's single-row UPDATE,
// and groups larger than a statement's row limit are chunked.
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { Database, Decimal, dbSession, Int, Json, optional, OptimisticCheckError, required } from '../../runtime/index.js'
import { eachTarget, type TestTarget } from '../support/databases.js'
import { capture } from '../runtime/model.js'
import { deferred, optionsFor } from './support.js'
import { useTables } from '../support/tables.js'

function defineItems(db: Database) {
  return db.define({
    Item: {
      batch: required(String),
      qty: optional(Int),
      price: optional(Decimal, { precision: 20, scale: 4 }),
      note: optional(String),
      when: optional(Date),
      flag: optional(Boolean),
      big: optional(BigInt),
      data: optional(Json<unknown>()),
      code: optional(String, { unique: true }),
    },
  })
}

function useItems(target: TestTarget): { db: Database; model: ReturnType<typeof defineItems> } {
  const db = new Database(optionsFor(target, { poolSize: 4, acquireTimeoutMs: 10_000 }))
  const model = defineItems(db)
  useTables(db)
  return { db, model }
}

/** Statements that update rows (`UPDATE …`, or `WITH v AS (VALUES …) UPDATE …`). */
const updates = (sql: readonly string[]): string[] => sql.filter((s) => /^(WITH .*\) )?UPDATE /is.test(s))

eachTarget('ses_batched_update', (target) => {
  const { db, model } = useItems(target)
  const { Item } = model

  async function seed(batch: string, n: number, qty: (i: number) => number | null = (i) => i): Promise<number[]> {
    return dbSession.run(async () => {
      const items = Array.from({ length: n }, (_, i) => new Item({ batch, qty: qty(i), price: '1.5', note: 'old' }))
      return items
    }).then((items) => items.map((x) => x.id))
  }

  const load = (batch: string) => Item.select((x, $) => x.batch === $.batch, { batch }).orderBy((x) => x.id).fetch()

  async function notes(batch: string): Promise<(string | null)[]> {
    return dbSession.run(async () => (await load(batch)).map((x) => x.note ?? null))
  }

  it('N objects of one shape: one UPDATE, every value of every type lands', async () => {
    await seed('types', 40)
    const when = new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 123))
    const { sql } = await capture(db, () => dbSession.run(async () => {
      const items = await load('types')
      items.forEach((x, i) => {
        x.note = `n${i}`
        x.price = `${i}.0625`
        x.when = new Date(when.getTime() + i)
        x.flag = i % 2 === 0
        x.big = 9007199254740993n + BigInt(i)
        x.data = { i, list: [i, 'x'] }
        x.qty = i % 3 === 0 ? null : i * 10
      })
    }))
    assert.equal(updates(sql).length, 1, updates(sql).join('\n'))
    const rows = await dbSession.run(async () => (await load('types')).map((x) => [x.note, x.price, x.when!.getTime(), x.flag, x.big, x.data, x.qty]))
    assert.equal(rows.length, 40)
    rows.forEach((row, i) => {
      assert.deepEqual(row, [`n${i}`, `${i}.0625`, when.getTime() + i, i % 2 === 0, 9007199254740993n + BigInt(i), { i, list: [i, 'x'] }, i % 3 === 0 ? null : i * 10])
    })
  })

  it('a unique column is set row by row in the order of the changes: one object takes the value another frees', async () => {
    const ids = await dbSession.run(async () => [new Item({ batch: 'uniq', code: 'u-a' }), new Item({ batch: 'uniq', code: 'u-b' }), new Item({ batch: 'uniq', code: 'u-c' })])
      .then((items) => items.map((x) => x.id))
    const { sql } = await capture(db, () => dbSession.run(async () => {
      const [a, b, c] = await load('uniq')
      a!.code = 'u-z'
      b!.code = 'u-a'
      c!.code = 'u-b'
    }))
    assert.equal(updates(sql).length, 3, updates(sql).join('\n'))
    assert.deepEqual(await dbSession.run(async () => (await load('uniq')).map((x) => [x.id, x.code])), [[ids[0], 'u-z'], [ids[1], 'u-a'], [ids[2], 'u-b']])
  })

  it('a group of one is today\'s single-row UPDATE', async () => {
    await seed('one', 1)
    const { sql } = await capture(db, () => dbSession.run(async () => {
      (await load('one'))[0]!.note = 'single'
    }))
    const [u] = updates(sql)
    assert.equal(updates(sql).length, 1)
    assert.match(u!, /^UPDATE \S+ SET \S+ = \S+ WHERE \S+ = \S+$/)
    assert.deepEqual(await notes('one'), ['single'])
  })

  it('mixed shapes: one statement per shape, each object gets its own values', async () => {
    await seed('mixed', 30)
    const { sql } = await capture(db, () => dbSession.run(async () => {
      const items = await load('mixed')
      items.forEach((x, i) => {
        if (i % 3 !== 1) x.note = `m${i}`
        if (i % 3 !== 0) x.flag = true
      })
    }))
    assert.equal(updates(sql).length, 3, updates(sql).join('\n'))
    const rows = await dbSession.run(async () => (await load('mixed')).map((x) => [x.note, x.flag ?? null]))
    assert.equal(rows.length, 30)
    rows.forEach((row, i) => assert.deepEqual(row, [i % 3 !== 1 ? `m${i}` : 'old', i % 3 !== 0 ? true : null]))
  })

  /** Load `batch`, read qty (checked), let `other` change rows from another session, then set every note. */
  async function conflict(batch: string, other: () => Promise<void>, change: (x: { qty: number | null; note: string | null }, i: number) => void): Promise<{ error: unknown; sql: string[] }> {
    const readDone = deferred()
    const otherDone = deferred()
    const main = capture(db, () => dbSession.run(async () => {
      const items = await load(batch)
      for (const x of items) void x.qty
      readDone.resolve()
      await otherDone.promise
      items.forEach((x, i) => change(x, i))
    }).then(() => null, (error: unknown) => error))
    await readDone.promise
    await other()
    otherDone.resolve()
    const { result, sql } = await main
    return { error: result, sql }
  }

  function assertNamed(error: unknown, id: number): void {
    assert.ok(error instanceof OptimisticCheckError, String(error))
    assert.match(error.message, new RegExp(`cannot update Item\\[${id}\\]`))
    assert.match(error.message, /qty/)
  }

  it('a conflict on one row of a batch names that object and commits nothing of the batch', async () => {
    const ids = await seed('clash', 20)
    const { error, sql } = await conflict('clash', () => dbSession.run(async () => {
      (await Item.get(ids[7]!))!.qty = 700
    }), (x, i) => { x.note = `c${i}` })
    assertNamed(error, ids[7]!)
    assert.ok(updates(sql).length >= 1)
    assert.deepEqual(await notes('clash'), ids.map(() => 'old'))
  })

  it('a conflicting writer that stored the very values this batch writes is still a conflict', async () => {
    const ids = await seed('same', 12)
    const { error } = await conflict('same', () => dbSession.run(async () => {
      (await Item.get(ids[4]!))!.qty = 4 + 100
    }), (x) => { x.qty = x.qty! + 100 })
    assertNamed(error, ids[4]!)
    const qtys = await dbSession.run(async () => (await load('same')).map((x) => x.qty))
    assert.deepEqual(qtys, ids.map((_, i) => (i === 4 ? 104 : i)))
  })

  it('a row deleted by another session fails the batch, naming its object', async () => {
    const ids = await seed('gone', 10)
    const { error } = await conflict('gone', () => dbSession.run(async () => {
      (await Item.get(ids[9]!))!.delete()
    }), (x) => { x.note = 'new' })
    assert.ok(error instanceof OptimisticCheckError, String(error))
    assert.match(error.message, new RegExp(`cannot update Item\\[${ids[9]}\\]`))
    assert.deepEqual(await notes('gone'), ids.slice(0, 9).map(() => 'old'))
  })

  it('null values read are IS NULL tests of their own shape, and a change to one is caught', async () => {
    const ids = await seed('nulls', 10, (i) => (i % 2 === 0 ? null : i))
    const quiet = await conflict('nulls', async () => undefined, (x, i) => { x.note = `z${i}` })
    assert.equal(quiet.error, null)
    const shapes = updates(quiet.sql)
    assert.equal(shapes.length, 2, shapes.join('\n'))
    assert.ok(shapes.some((s) => /IS NULL/.test(s)))
    assert.deepEqual(await notes('nulls'), ids.map((_, i) => `z${i}`))
    const { error } = await conflict('nulls', () => dbSession.run(async () => {
      (await Item.get(ids[6]!))!.qty = 6
    }), (x) => { x.note = 'again' })
    assertNamed(error, ids[6]!)
    assert.deepEqual(await notes('nulls'), ids.map((_, i) => `z${i}`))
  })

  it('decimal checks compare exactly: batched where the database can, row by row on MySQL/MariaDB', async () => {
    await seed('dec', 3)
    const { sql } = await capture(db, () => dbSession.run(async () => {
      for (const x of await load('dec')) {
        void x.price
        x.note = 'priced'
      }
    }))
    assert.equal(updates(sql).length, target.provider === 'mysql' ? 3 : 1)
    assert.deepEqual(await notes('dec'), ['priced', 'priced', 'priced'])
  })

  it('the same batched statement again with longer values and other nulls: nothing is truncated or mistyped', async () => {
    await seed('again', 5)
    const write = (note: (i: number) => string | null) => dbSession.run(async () => {
      (await load('again')).forEach((x, i) => { x.note = note(i) })
    })
    await write((i) => (i === 0 ? null : 'a'))
    const long = (i: number): string => `${'é'.repeat(150)}${i}`
    await write((i) => (i === 4 ? null : long(i)))
    assert.deepEqual(await notes('again'), [long(0), long(1), long(2), long(3), null])
  })

  it('1,500 objects: chunked statements, all values land', async () => {
    await seed('many', 1500)
    const { sql } = await capture(db, () => dbSession.run(async () => {
      (await load('many')).forEach((x, i) => { x.note = `k${i}` })
    }))
    assert.equal(updates(sql).length, 2)
    const got = await notes('many')
    assert.equal(got.length, 1500)
    got.forEach((n, i) => assert.equal(n, `k${i}`))
  })
})
