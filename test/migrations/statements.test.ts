/**
 * How many statements planning sends: the rows a lossy change would touch are
 * counted with one statement per table, however many checks (dropped,
 * narrowed, required columns) read that table.
 */
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { Database, dbSession, required, optional, Int, sql } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { resetSchema, sharedOptions } from './helpers.js'

eachTarget('plancount', (target) => {
  const options = sharedOptions(target, 'plancount')

  it('counts a table once per plan, however many checks read it', async () => {
    await resetSchema(options)
    const v1 = new Database(options)
    v1.define({ Person: { name: required(String, { maxLen: 50 }), age: required(Int), nick: optional(String, { maxLen: 30 }) } })
    try {
      await v1.generateMapping({ createTables: true })
      await dbSession.run(async () => {
        await v1.execute(sql`INSERT INTO person (name, age, nick) VALUES (${'Ann'}, ${30}, ${'annie'})`)
        await v1.execute(sql`INSERT INTO person (name, age) VALUES (${'Bob'}, ${40})`)
      })
    } finally {
      await v1.disconnect()
    }
    // Drops age and nick, narrows name, adds three required columns without a default and three with one.
    const db = new Database(options)
    db.define({
      Person: {
        name: required(String, { maxLen: 20 }),
        a: required(Int), b: required(Int), c: required(Int),
        d: required(Int, { sqlDefault: '0' }), e: required(Int, { sqlDefault: '1' }), f: required(Int, { sqlDefault: '2' }),
      },
    })
    const seen: string[] = []
    db.on('query', (e) => seen.push(e.sql))
    try {
      const plan = await db.migrations.plan()
      const counts = seen.filter((s) => /\bCOUNT\(/i.test(s))
      assert.equal(counts.length, 1, `one counting statement, not:\n${counts.join('\n')}`)
      assert.deepEqual(Object.fromEntries(plan.dataLoss.map((l) => [`${l.table}.${l.column ?? '*'}`, l.rows])), { 'person.age': 2, 'person.nick': 1, 'person.name': 2 })
      assert.equal(plan.blocked.length, 3)
      for (const col of ['a', 'b', 'c']) assert.ok(plan.blocked.some((b) => b.startsWith(`column 'person.${col}' is required and has no default, and table 'person' has 2 row(s)`)), plan.blocked.join('\n'))
    } finally {
      await db.disconnect()
    }
  })

  it('counts nothing when no change can lose data (required columns with a default)', async () => {
    await resetSchema(options)
    const v1 = new Database(options)
    v1.define({ Person: { name: required(String, { maxLen: 50 }) } })
    try {
      await v1.generateMapping({ createTables: true })
      await dbSession.run(() => v1.execute(sql`INSERT INTO person (name) VALUES (${'Ann'})`))
    } finally {
      await v1.disconnect()
    }
    const db = new Database(options)
    db.define({ Person: { name: required(String, { maxLen: 50 }), d: required(Int, { sqlDefault: '0' }), e: required(Int, { sqlDefault: '1' }), f: required(Int, { sqlDefault: '2' }) } })
    const seen: string[] = []
    db.on('query', (e) => seen.push(e.sql))
    try {
      const plan = await db.migrations.plan()
      assert.equal(plan.changes.filter((c) => c.kind === 'addColumn').length, 3)
      assert.deepEqual(plan.blocked, [])
      assert.deepEqual(seen.filter((s) => /\bCOUNT\(/i.test(s)), [])
    } finally {
      await db.disconnect()
    }
  })
})
