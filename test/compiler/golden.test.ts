/**
 * Golden SQL: every query of the corpus, compiled for SQLite, PostgreSQL and
 * MySQL, must give exactly the stored SQL, slots and result plan
 * (test/compiler/golden/<flavor>.json). The stored files were checked by
 * running each statement on all three databases. After a deliberate change,
 * regenerate them with `UPDATE_GOLDEN=1 node --import tsx --test test/compiler/golden.test.ts`
 * and review the diff.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { corpus } from './corpus.js'
import { FLAVORS, compile } from './fixtures.js'

const update = process.env.UPDATE_GOLDEN === '1'

for (const flavor of Object.keys(FLAVORS) as (keyof typeof FLAVORS)[]) {
  const file = new URL(`./golden/${flavor}.json`, import.meta.url)
  const actual: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(corpus)) {
    const c = compile(spec, flavor)
    actual[name] = JSON.parse(JSON.stringify({ sql: c.sql, slots: c.slots, result: c.result, tables: c.tables }))
  }
  if (update) writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`)
  const expected = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  describe(`golden SQL: ${flavor}`, () => {
    it('has a golden entry for every corpus query and no stale ones', () => {
      assert.deepEqual(Object.keys(expected).sort(), Object.keys(actual).sort())
    })
    for (const name of Object.keys(actual)) {
      it(name, () => assert.deepEqual(actual[name], expected[name]))
    }
  })
}
