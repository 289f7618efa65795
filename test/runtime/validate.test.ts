/** Validation on construction and assignment: maxLen counts characters (code points), not UTF-16 units. */
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { Database, dbSession, required, ValueError } from '../../runtime/index.js'

it('maxLen counts code points: three emoji fit in 3, four characters do not', async () => {
  const db = new Database({ provider: 'sqlite', filename: ':memory:' })
  const { Tag } = db.define({ Tag: { label: required(String, { maxLen: 3 }) } })
  await db.generateMapping({ createTables: true })
  try {
    await dbSession.run(async () => {
      assert.equal(new Tag({ label: 'abc' }).label, 'abc')
      assert.equal(new Tag({ label: '😀😀😀' }).label, '😀😀😀')
      assert.equal(new Tag({ label: 'a😀b' }).label, 'a😀b')
      assert.throws(() => new Tag({ label: 'abcd' }), (e: unknown) => e instanceof ValueError && /Tag\.label: the value is 4 characters long; maxLen is 3/.test((e as Error).message))
      assert.throws(() => new Tag({ label: '😀😀😀😀' }), (e: unknown) => e instanceof ValueError && /is 4 characters long/.test((e as Error).message))
      const t = new Tag({ label: 'xy' })
      assert.throws(() => { t.label = 'wxyz' }, ValueError)
      assert.equal(t.label, 'xy')
    })
  } finally {
    await db.disconnect()
  }
})
