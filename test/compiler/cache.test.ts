/**
 * The translation cache: a second run of the same query shape neither parses
 * nor translates; a different params shape (null vs value, array length)
 * translates again without parsing; the cache key is the shape, not values.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compilerStats, describeParamsShape, resetCompilerStats } from '../../compiler/compile.js'
import { FakeEntity } from './corpus.js'
import type { QueryOp, QueryTerminal } from '../../compiler/query-spec.js'
import { compile, filter, spec } from './fixtures.js'

describe('translation cache', () => {
  it('a second run of the same shape neither parses nor translates', () => {
    const run = (minAge: number): string => compile(spec('Person', [filter((p: { age: number }) => p.age > minAge, { minAge })], { kind: 'count' })).sql
    resetCompilerStats()
    const first = run(18)
    assert.deepEqual(compilerStats(), { parses: 1, translations: 1, cacheHits: 0 })
    const second = run(40)
    assert.equal(second, first)
    assert.deepEqual(compilerStats(), { parses: 1, translations: 1, cacheHits: 1 })
  })

  it('a new params shape translates again but does not parse again', () => {
    const run = (email: string | null): string => compile(spec('Person', [filter((p: { email: string | null }) => p.email === email, { email })])).sql
    resetCompilerStats()
    const withValue = run('a@x')
    const withNull = run(null)
    assert.match(withValue, /"email" = \?$/)
    assert.match(withNull, /"email" IS NULL$/)
    assert.deepEqual(compilerStats(), { parses: 1, translations: 2, cacheHits: 0 })
    run('b@x')
    run(null)
    assert.deepEqual(compilerStats(), { parses: 1, translations: 2, cacheHits: 2 })
  })

  it('array length is part of the shape', () => {
    const run = (ids: number[]): string => compile(spec('Person', [filter((p: { id: number }) => ids.includes(p.id), { ids })])).sql
    resetCompilerStats()
    assert.match(run([1, 2]), /IN \(\?, \?\)$/)
    assert.match(run([3, 4]), /IN \(\?, \?\)$/)
    assert.match(run([1, 2, 3]), /IN \(\?, \?, \?\)$/)
    assert.deepEqual(compilerStats(), { parses: 1, translations: 2, cacheHits: 1 })
  })

  it('each flavor has its own entry', () => {
    const s = spec('Person', [filter((p: { age: number }) => p.age > 1)])
    resetCompilerStats()
    compile(s, 'sqlite')
    compile(s, 'postgres')
    compile(s, 'sqlite')
    assert.deepEqual(compilerStats(), { parses: 1, translations: 2, cacheHits: 1 })
  })

  it('describes shapes without values', () => {
    assert.equal(describeParamsShape({ a: 1, b: 'x', c: null, d: [1, 2], e: [1, null], f: new FakeEntity(1), g: new Date(0), h: { i: true } }),
      '{"a":N,"b":S,"c":n,"d":[2:N],"e":[N,n],"f":E,"g":D,"h":{"i":B}}')
    assert.equal(describeParamsShape({ a: 5 }), describeParamsShape({ a: 6 }))
    assert.notEqual(describeParamsShape({ a: 5 }), describeParamsShape({ a: '5' }))
    // An integer may be bound as an int (and take an int column's type), a fraction never: they compile apart.
    assert.equal(describeParamsShape({ a: 2, b: 2.5, c: 2 ** 40, d: [1, 1.5] }), '{"a":N,"b":R,"c":R,"d":[N,R]}')
  })

  it('every params shape has its own entry, however the shapes nest', () => {
    const shapes: Record<string, unknown>[] = [
      { a: 1 }, { a: null }, { a: 'S' }, { a: 1.5 }, { a: [1] }, { a: [1, 2] }, { a: {} }, { a: { b: 1 } }, { a: { b: null } },
      { a: { b: { c: 1 } } }, { a: 1, b: 1 }, { b: 1, a: 1 }, { a: { b: 1 }, c: 1 }, { a: { b: 1, c: 1 } }, { '}': 1 }, { a: new Date(0) }, {},
    ]
    const run = (params: Record<string, unknown>): string => compile(spec('Person', [filter((p: { age: number }) => p.age > 1, params)], { kind: 'count' })).sql
    resetCompilerStats()
    for (const params of shapes) run(params)
    assert.deepEqual([compilerStats().translations, compilerStats().cacheHits], [shapes.length, 0])
    for (const params of shapes) run(structuredClone(params))
    assert.deepEqual([compilerStats().translations, compilerStats().cacheHits], [shapes.length, shapes.length])
  })

  it('ops and terminals that differ only in a flag compile apart', () => {
    const person = (ops: QueryOp[], terminal?: QueryTerminal): string => compile(spec('Person', ops, terminal)).sql
    const sqls = [
      person([{ op: 'limit', limit: 5, offset: 0 }]), person([{ op: 'limit', limit: 5, offset: 2 }]),
      person([{ op: 'limit', limit: null, offset: 2 }]), person([{ op: 'distinct', distinct: true }]),
      person([], { kind: 'count' }), person([{ op: 'defaultOrder' }]),
    ]
    assert.equal(new Set(sqls).size, sqls.length, sqls.join('\n'))
    assert.match(sqls[1]!, /OFFSET/)
    assert.doesNotMatch(sqls[0]!, /OFFSET/)
  })

  it('past its size the cache starts again, and still answers right', () => {
    const run = (key: string): string => compile(spec('Person', [filter((p: { age: number }) => p.age > 1, { [key]: 1 })], { kind: 'count' })).sql
    resetCompilerStats()
    const first = run('k0')
    for (let i = 1; i <= 2000; i++) run(`k${i}`)
    assert.equal(compilerStats().translations, 2001)
    assert.equal(run('k0'), first)
    assert.deepEqual([compilerStats().translations, compilerStats().cacheHits], [2002, 0])
    assert.equal(run('k0'), first)
    assert.equal(compilerStats().cacheHits, 1)
  })
})
