/**
 * Size limits: a 100 KB lambda (a generated filter of 2,450 conditions)
 * compiles, its long `||` chain costing no stack, and is parsed and
 * translated once: a second run of it is a cache hit. How long the compile
 * takes is measured in the benchmark (W9), not asserted here.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compilerStats, resetCompilerStats } from '../../compiler/compile.js'
import { compile, filter, fromSource, spec } from './fixtures.js'

function bigLambda(terms: number, salt: string): string {
  return `p => ${Array.from({ length: terms }, (_, i) => `(p.age === ${i} && p.name !== '${salt}${i}')`).join(' || ')}`
}

describe('large lambdas', () => {
  it('a 100 KB lambda compiles once: parsed and translated on the first run, a cache hit after', () => {
    for (const salt of ['a', 'b']) {
      const src = bigLambda(2450, salt)
      assert.ok(src.length >= 100_000 && src.length < 110_000, `size ${src.length}`)
      const fn = fromSource(src)
      resetCompilerStats()
      const c = compile(spec('Person', [filter(fn)]))
      assert.equal(c.slots.length, 4900)
      assert.deepEqual(compilerStats(), { parses: 1, translations: 1, cacheHits: 0 })
      const again = compile(spec('Person', [filter(fromSource(src))]))
      assert.equal(again, c)
      assert.deepEqual(compilerStats(), { parses: 1, translations: 1, cacheHits: 1 })
    }
  })
  it('a 20,000-item IN list compiles', () => {
    const src = `p => [${Array.from({ length: 20_000 }, (_, i) => i).join(', ')}].includes(p.age)`
    const c = compile(spec('Person', [filter(fromSource(src))]))
    assert.equal(c.slots.length, 20_000)
  })
})
