/** `random(n)` on every database: n distinct rows, and every n shares one compiled statement (n is bound). */
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { dbSession } from '../../runtime/index.js'
import { compilerStats, resetCompilerStats } from '../../compiler/compile.js'
import { eachTarget } from '../support/databases.js'
import { useModel } from './model.js'

eachTarget('rt_random', (target) => {
  const { model } = useModel(target)
  const { Person } = model

  it('random(n) gives n distinct rows of the query, for any n from one compiled statement', async () => {
    await dbSession.run(async () => {
      for (let i = 0; i < 6; i++) new Person({ name: `Rnd${i}`, age: 30 + i })
    })
    await dbSession.run(async () => {
      const q = Person.select((p) => p.name.startsWith('Rnd'))
      await q.random(1).fetch()
      resetCompilerStats()
      for (const n of [2, 3, 5]) {
        const rows = await q.random(n).fetch()
        assert.equal(rows.length, n)
        assert.equal(new Set(rows.map((p) => p.id)).size, n)
        assert.ok(rows.every((p) => p.name.startsWith('Rnd')))
      }
      assert.equal((await q.random(10).fetch()).length, 6)
      assert.equal(compilerStats().translations, 0, 'random(2), (3), (5), (10) reuse the statement of random(1)')
    })
  })
})
