/**
 * Streaming a million SQLite rows in a strict session: memory stays bounded
 * because streamed objects are not kept in the identity map. Node runs
 * without --expose-gc here, so the heap is sampled every 5,000 rows; the
 * lowest sample of a stretch approximates the live heap after a collection,
 * and growth is the lowest sample of the last tenth minus that of the first
 * tenth (retained objects would raise it: about 650 bytes per row, 600 MB in
 * all, in a non-strict session).
 */
import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { Database, dbSession, Int, required } from '../../runtime/index.js'

const ROWS = 1_000_000
const db = new Database({ provider: 'sqlite', filename: ':memory:' })
const { Row } = db.define({ Row: { n: required(Int), label: required(String) } })

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

it(`streams ${ROWS} rows with for await in a strict session, heap growth under 50 MB`, { timeout: 60_000 }, async () => {
  const started = performance.now()
  const before = process.memoryUsage().heapUsed
  const { count, sum, samples } = await dbSession.run({ strict: true }, async () => {
    const samples: number[] = []
    let count = 0
    let sum = 0
    for await (const row of Row.select()) {
      count++
      sum += row.n
      if (count % 5_000 === 0) samples.push(process.memoryUsage().heapUsed)
    }
    return { count, sum, samples }
  })
  const tenth = Math.floor(samples.length / 10)
  const low = (part: number[]): number => Math.min(...part)
  const growthMb = (low(samples.slice(-tenth)) - low([before, ...samples.slice(0, tenth)])) / 1024 / 1024
  const peakMb = (Math.max(...samples) - before) / 1024 / 1024
  assert.equal(count, ROWS)
  assert.equal(sum, (ROWS * (ROWS + 1)) / 2)
  assert.ok(growthMb < 50, `the live heap grew by ${growthMb.toFixed(1)} MB`)
  process.stderr.write(`streamed ${count} rows in ${((performance.now() - started) / 1000).toFixed(1)} s; live heap growth ${growthMb.toFixed(1)} MB, peak ${peakMb.toFixed(1)} MB above the start\n`)
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
