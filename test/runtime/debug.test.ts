import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { dbSession, flush, setSqlDebug } from '../../runtime/index.js'
import { MAX_STATS_TEXTS, OTHER_STATEMENTS, QueryLog } from '../../runtime/debug.js'
import { eachTarget } from '../support/databases.js'
import { useModel } from './model.js'

eachTarget('rt_debug', (target) => {
  const { db, model } = useModel(target)
  const { Person } = model

  it('setSqlDebug logs each statement with its time, params with showValues, and transaction events', async () => {
    const lines: string[] = []
    setSqlDebug(true, { showValues: true, logger: (line) => lines.push(line) })
    try {
      await dbSession.run(async () => {
        await Person.select((p) => p.age > 1000).fetch()
        new Person({ name: 'Logged', age: 77 })
        await flush()
      })
    } finally {
      setSqlDebug(false)
    }
    const text = lines.join('\n')
    assert.match(text, /SQL \(\d+\.\d+ ms, \d+ rows\): SELECT .*FROM/)
    assert.match(text, /params: \[1000\]/)
    assert.match(text, /INSERT INTO .*\n\s+params: \['Logged', 77/)
    for (const event of ['-- connection taken', '-- BEGIN', '-- COMMIT', '-- connection released']) assert.ok(text.includes(event), event)
    lines.length = 0
    await dbSession.run(() => Person.select().count())
    assert.deepEqual(lines, [])
  })

  it('dbSession({ sqlDebug }) logs for that session only', async () => {
    const lines: string[] = []
    setSqlDebug(false, { logger: (line) => lines.push(line) })
    await dbSession({ sqlDebug: true })(() => Person.select().count())()
    assert.equal(lines.length, 1)
    assert.match(lines[0]!, /COUNT/)
    await dbSession.run(() => Person.select().count())
    assert.equal(lines.length, 1)
  })

  it("db.on('query') reports sql, params, duration and rows; db.stats() counts per SQL text", async () => {
    const events: { sql: string; params: readonly unknown[]; durationMs: number; rows: number }[] = []
    const listener = (e: (typeof events)[number]): void => { events.push(e) }
    db.on('query', listener)
    await dbSession.run(async () => {
      await Person.select((p, $) => p.name === $.n, { n: 'Logged' }).fetch()
      await Person.select((p, $) => p.name === $.n, { n: 'Nobody' }).fetch()
    })
    db.off('query', listener)
    assert.equal(events.length, 2)
    assert.equal(events[0]!.sql, events[1]!.sql)
    assert.deepEqual(events.map((e) => e.params), [['Logged'], ['Nobody']])
    assert.deepEqual(events.map((e) => e.rows), [1, 0])
    assert.ok(events.every((e) => e.durationMs >= 0))
    const stat = db.stats().find((s) => s.sql === events[0]!.sql)!
    assert.ok(stat.count >= 2)
    assert.ok(stat.maxMs <= stat.totalMs)
  })

  it('getSql() gives the SQL and params without running, with no session', () => {
    const { sql, params } = Person.select((p, $) => p.age > $.min, { min: 18 }).getSql()
    assert.match(sql, /^SELECT /)
    assert.ok(sql.includes(db.dialect.flavor.placeholder(1)))
    assert.deepEqual(params, [18])
  })
})

eachTarget('rt_show_explain', (target) => {
  const { model } = useModel(target)
  const { Person } = model

  it('show() prints the rows as a table; explain() gives the database plan for the query', async () => {
    await dbSession.run(async () => {
      new Person({ name: 'Shown', age: 44 })
      new Person({ name: 'Hidden', age: 4 })
    })
    const written: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string | Uint8Array) => { written.push(String(chunk)); return true }) as typeof process.stdout.write
    try {
      await dbSession.run(() => Person.select((p) => p.age > 40).show())
    } finally {
      process.stdout.write = write
    }
    const out = written.join('')
    assert.match(out, /name/)
    assert.match(out, /Shown/)
    assert.doesNotMatch(out, /Hidden/)
    const plan = await dbSession.run(() => Person.select((p) => p.age > 40).explain())
    assert.ok(plan.length > 0)
    assert.match(plan, /person|SCAN|Seq Scan|ALL|range|SEARCH/i)
  })
})

describe('db.stats() is bounded', () => {
  it('keeps the first MAX_STATS_TEXTS SQL texts apart and counts the rest together', () => {
    const log = new QueryLog()
    for (let i = 0; i < MAX_STATS_TEXTS + 10; i++) log.record(`SELECT ${i}`, [], 1, 0, null)
    log.record('SELECT 0', [], 2, 0, null)
    const stats = log.snapshot()
    assert.equal(stats.length, MAX_STATS_TEXTS + 1)
    assert.deepEqual(stats.find((s) => s.sql === 'SELECT 0'), { sql: 'SELECT 0', count: 2, totalMs: 3, maxMs: 2 })
    assert.deepEqual(stats.find((s) => s.sql === OTHER_STATEMENTS), { sql: OTHER_STATEMENTS, count: 10, totalMs: 10, maxMs: 1 })
  })
})
