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
import { checkCase, checkSubset, type Case } from './three-way.js'
import { useWorld } from './world.js'

it('the case names are unique', () => {
  const names = CONSTRUCT_CASES.map((c) => `${c.entity} ${c.name}`)
  assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), [])
})

it('a filter that keeps no row or every row fails unless it expects so, and one that expects so must do so', () => {
  const plain: Case = { name: 'plain', entity: 'Person', kind: 'filter', fn: () => true }
  checkSubset(plain, 4, 13)
  assert.throws(() => checkSubset(plain, 0, 13), /plain: keeps none of the 13 rows/)
  assert.throws(() => checkSubset(plain, 13, 13), /plain: keeps all of the 13 rows/)
  checkSubset({ ...plain, expect: 'none' }, 0, 13)
  checkSubset({ ...plain, expect: 'all' }, 13, 13)
  assert.throws(() => checkSubset({ ...plain, expect: 'none' }, 4, 13), /expected to keep none of the 13 rows, kept 4/)
  assert.throws(() => checkSubset({ ...plain, expect: 'all' }, 0, 13), /expected to keep all of the 13 rows, kept 0/)
  checkSubset({ ...plain, kind: 'map' }, 13, 13)
})

it('every case that keeps none or all on purpose has a sibling with the same lambda text shape that keeps a proper subset', () => {
  const declared = CONSTRUCT_CASES.filter((c) => c.expect !== undefined)
  assert.ok(declared.length > 0)
  for (const c of declared) {
    const body = (f: Case['fn']): string => f.toString().replace(/^.*?=>\s*/, '')
    const siblings = CONSTRUCT_CASES.filter((o) => o !== c && o.expect === undefined && o.kind === 'filter' && o.entity === c.entity && body(o.fn) === body(c.fn))
    assert.ok(siblings.length > 0, `${c.name}: no sibling with the same construct`)
  }
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
