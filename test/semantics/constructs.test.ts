/**
 * Three-way tests: every construct of API.md §7 run through pinto on each
 * database and as plain JavaScript over the same rows (the oracle), with
 * equal results asserted. The cases are in construct-cases.ts, the dataset
 * in world.ts; golden SQL is in test/compiler and not repeated here.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { eachTarget } from '../support/databases.js'
import { CONSTRUCT_CASES, setOracleCars } from './construct-cases.js'
import { checkCase } from './three-way.js'
import { useWorld } from './world.js'

it('the case names are unique', () => {
  const names = CONSTRUCT_CASES.map((c) => `${c.entity} ${c.name}`)
  assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), [])
})

eachTarget('sem_constructs', (target) => {
  const { model, oracle } = useWorld(target)
  for (const c of CONSTRUCT_CASES) {
    // SEMANTICS_RUN_BUGS=1 runs the known failures too, to see whether they still fail.
    const bug = process.env.SEMANTICS_RUN_BUGS === '1' ? undefined : c.bug?.[target.provider]
    it(`${c.entity}: ${c.name}`, bug === undefined ? {} : { skip: bug }, async () => {
      const world = oracle()
      setOracleCars(() => world.cars)
      await checkCase(model, world, c, target.provider)
    })
  }
})
