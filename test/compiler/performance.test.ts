/**
 * Size limits: a 100 KB lambda (a generated filter of 2,450 conditions,
 * parsed and translated from scratch) compiles in under 100 ms once the
 * compiler's code is warm (the best of three different lambdas; the very
 * first run also pays for V8 compiling the compiler), and its long `||`
 * chain costs no stack.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compile, filter, fromSource, spec } from './fixtures.js'

function bigLambda(terms: number, salt: string): string {
  return `p => ${Array.from({ length: terms }, (_, i) => `(p.age === ${i} && p.name !== '${salt}${i}')`).join(' || ')}`
}

describe('large lambdas', () => {
  it('a 100 KB lambda compiles in < 100 ms', () => {
    compile(spec('Person', [filter(fromSource(bigLambda(300, 'w')))]))
    let best = Infinity
    for (const salt of ['a', 'b', 'c']) {
      const src = bigLambda(2450, salt)
      assert.ok(src.length >= 100_000 && src.length < 110_000, `size ${src.length}`)
      const fn = fromSource(src)
      const t0 = performance.now()
      const c = compile(spec('Person', [filter(fn)]))
      best = Math.min(best, performance.now() - t0)
      assert.equal(c.slots.length, 4900)
    }
    assert.ok(best < 100, `took ${best.toFixed(1)} ms`)
  })
  it('a 20,000-item IN list compiles', () => {
    const src = `p => [${Array.from({ length: 20_000 }, (_, i) => i).join(', ')}].includes(p.age)`
    const c = compile(spec('Person', [filter(fromSource(src))]))
    assert.equal(c.slots.length, 20_000)
  })
})
