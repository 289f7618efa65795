// An entity with more attributes than the loaded flags' bit field holds (slots
// 30 and up keep their flags apart): every slot loads, reads, changes and is
// checked the same way, near or far; and a changed slot keeps the value the
// database held for the optimistic check until it is written.
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { Database, dbSession, flush, Int, OptimisticCheckError, required, UnrepeatableReadError } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { capture } from '../runtime/model.js'
import { useSeededModel } from '../support/tables.js'
import { deferred } from './support.js'

const WIDTH = 40
const names = Array.from({ length: WIDTH }, (_, i) => `a${i}`)

function defineWide(db: Database) {
  const attrs: Record<string, unknown> = { $table: 'wide_rows' }
  for (const name of names) attrs[name] = required(Int)
  return db.define({ Wide: attrs as never }) as unknown as { Wide: WideClass }
}

interface WideObject { id: number; [attr: string]: number }
interface WideClass {
  new (init: Record<string, number>): WideObject
  get(id: number): Promise<WideObject | null>
  select(fn: (w: WideObject, $: { id: number }) => unknown, params: { id: number }): { fetch(): Promise<WideObject[]> }
  insertMany(rows: readonly never[]): Promise<number>
}

const row = (base: number): Record<string, number> => Object.fromEntries(names.map((n, i) => [n, base + i]))

eachTarget('ses_wide', (target) => {
  const { db, model: { Wide } } = useSeededModel(target, defineWide, (m) => [[m.Wide, [row(0), row(100)]]])

  it('every slot, below and past the bit field, loads and reads back; only the changed slots are written', async () => {
    const id = await dbSession.run(async () => {
      const w = new Wide(row(1000))
      await flush()
      return w.id
    })
    await dbSession.run(async () => {
      const w = (await Wide.get(id))!
      assert.deepEqual(names.map((n) => w[n]), names.map((_, i) => 1000 + i))
      assert.deepEqual(Object.keys((w as unknown as { toDict(): object }).toDict()).length, WIDTH + 1)
    })
    const { sql } = await capture(db, () => dbSession.run(async () => {
      const w = (await Wide.get(id))!
      w.a3 = 3
      w.a35 = 35
    }))
    const update = sql.find((s) => /^UPDATE /i.test(s))
    assert.ok(update !== undefined, sql.join('\n'))
    const set = update.slice(update.search(/ SET /i), update.search(/ WHERE /i))
    assert.match(set, /a3\b/)
    assert.match(set, /a35\b/)
    assert.doesNotMatch(set, /a(?!3\b|35\b)\d+/, 'only the two changed columns')
    await dbSession.run(async () => {
      const w = (await Wide.get(id))!
      assert.equal(w.a3, 3)
      assert.equal(w.a35, 35)
      assert.equal(w.a36, 1036)
    })
  })

  /** A session reads `name` of a new row and waits while another sets it to 0 and commits; then it goes on with `after`. Returns the first session. */
  async function readThenChangedBehind(base: number, name: string, after: (w: WideObject) => unknown): Promise<void> {
    const id = await dbSession.run(async () => { const w = new Wide(row(base)); await flush(); return w.id })
    const read = deferred()
    const changed = deferred()
    const first = dbSession.run(async () => {
      const w = (await Wide.get(id))!
      assert.equal(w[name], base + Number(name.slice(1)))
      read.resolve()
      await changed.promise
      await after(w)
    })
    await read.promise
    await dbSession.run(async () => { (await Wide.get(id))![name] = 0 })
    changed.resolve()
    return first
  }

  it('a slot past the bit field that was read is checked at commit: a change behind the session is an OptimisticCheckError', async () => {
    const first = readThenChangedBehind(2000, 'a33', (w) => { w.a1 = -1 })
    await assert.rejects(first, (e: unknown) => e instanceof OptimisticCheckError && /a33/.test((e as Error).message))
  })

  it('a slot past the bit field that was read and then changed behind the session is an UnrepeatableReadError when the row is read again', async () => {
    const first = readThenChangedBehind(3000, 'a38', (w) => Wide.select((x, $) => x.id === $.id, { id: w.id }).fetch())
    await assert.rejects(first, (e: unknown) => e instanceof UnrepeatableReadError && /a38 was read as 3038/.test((e as Error).message))
  })

  it('a changed slot is checked against the value the database held, not the new one, and takes the new one once written', async () => {
    const id = await dbSession.run(async () => { const w = new Wide(row(4000)); await flush(); return w.id })
    await dbSession.run(async () => {
      const w = (await Wide.get(id))!
      assert.equal(w.a2, 4002)
      assert.equal(w.a34, 4034)
      w.a2 = 7
      w.a34 = 8
      await flush()
      w.a2 = 9
      w.a34 = 10
    })
    await dbSession.run(async () => {
      const w = (await Wide.get(id))!
      assert.equal(w.a2, 9)
      assert.equal(w.a34, 10)
    })
  })
})
