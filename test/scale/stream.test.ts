/**
 * Streaming in a strict session holds bounded memory because streamed
 * objects are not kept in the identity map: counted directly, the session's
 * identity map holds the one row in hand at every step of the loop, however
 * many rows have passed. The control is the same stream in a session that is
 * not strict, whose identity map ends with every row (the count sees objects
 * when they are kept). How fast a stream runs is measured in the benchmark.
 */
import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { Database, dbSession, Int, required } from '../../runtime/index.js'
import { sessionDb } from '../sessions/support.js'

const ROWS = 50_000
const db = new Database({ provider: 'sqlite', filename: ':memory:' })
const { Row } = db.define({ Row: { n: required(Int), label: required(String) } })

/** How many objects the current session's identity map holds. */
const inIdentityMap = (): number => [...sessionDb(db).identity.all()].length

before(async () => {
  await db.generateMapping({ createTables: true })
  const table = db.dialect.flavor.quoteId(db.schema.entities.get('Row')!.table)
  const conn = await db.acquireFor(null)
  try {
    await conn.query(`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${ROWS}) INSERT INTO ${table} (n, label) SELECT x, 'row ' || x FROM c`, [])
  } finally {
    db.release(conn)
  }
})
after(() => db.disconnect())

/** Stream every row with for await; the identity map is counted inside the loop every `every` rows, and after it. */
function streamAll(strict: boolean, every: number): Promise<{ count: number; sum: number; most: number; end: number }> {
  return dbSession.run({ strict }, async () => {
    let count = 0
    let sum = 0
    let most = 0
    for await (const row of Row.select()) {
      count++
      sum += row.n
      if (count % every === 0) most = Math.max(most, inIdentityMap())
    }
    return { count, sum, most, end: inIdentityMap() }
  })
}

it(`streams ${ROWS} rows with for await in a strict session, the identity map holding only the row in hand`, { timeout: 60_000 }, async () => {
  const { count, sum, most, end } = await streamAll(true, 1)
  assert.equal(count, ROWS)
  assert.equal(sum, (ROWS * (ROWS + 1)) / 2)
  assert.equal(most, 1, 'objects in the identity map at any row')
  assert.equal(end, 0, 'objects in the identity map after the loop')
})

it('the control: the same stream in a session that is not strict keeps every row in its identity map', { timeout: 60_000 }, async () => {
  const { count, most, end } = await streamAll(false, ROWS / 2)
  assert.equal(count, ROWS)
  assert.equal(most, ROWS)
  assert.equal(end, ROWS)
})

it('a strict stream still gives one object per row while it is in use, and a changed object stays in the session', async () => {
  await dbSession.run({ strict: true }, async () => {
    let kept: InstanceType<typeof Row> | null = null
    for await (const row of Row.select((r) => r.n <= 3)) {
      if (row.n === 2) {
        row.label = 'changed'
        kept = row
      }
    }
    assert.equal(await Row.get(kept!.id), kept)
  })
  assert.equal(await dbSession.run(async () => (await Row.select((r) => r.n === 2).first())!.label), 'changed')
})
