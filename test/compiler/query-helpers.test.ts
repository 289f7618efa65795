/**
 * The helpers run in memory with the meaning they have in SQL: aggregates
 * skip nulls, `count` counts distinct values, `sum([])` is 0, `avg([])` is
 * null, `like` is case-sensitive LIKE, `desc` marks keys for `sortByKeys`
 * (nulls first ascending, last descending).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { TranslationError } from '../../compiler/errors.js'
import { avg, between, coalesce, concat, count, desc, distinct, exists, groupConcat, like, max, min, raw, sortByKeys, sum } from '../../runtime/query-helpers.js'

describe('in-memory helpers', () => {
  it('count counts distinct non-null values', () => {
    assert.equal(count([1, 1, null, 2, undefined]), 2)
    assert.equal(count([]), 0)
    const a = { id: 1 }
    assert.equal(count([a, a, { id: 1 }]), 2)
    assert.equal(count([new Date(0), new Date(0)]), 1)
    assert.throws(() => count(), TranslationError)
  })
  it('sum skips nulls; the sum of nothing is 0', () => {
    assert.equal(sum([1, 2, null]), 3)
    assert.equal(sum([]), 0)
    assert.equal(sum([null]), 0)
    assert.equal(sum([1n, 2n]), 3n)
  })
  it('avg, min, max of nothing are null', () => {
    assert.equal(avg([1, 2, null]), 1.5)
    assert.equal(avg([]), null)
    assert.equal(min([3, null, 1]), 1)
    assert.equal(max([3, null, 1]), 3)
    assert.equal(min([]), null)
    assert.equal(max(['b', 'a']), 'b')
    assert.deepEqual(max([new Date(1), new Date(5)]), new Date(5))
  })
  it('exists', () => {
    assert.equal(exists([]), false)
    assert.equal(exists([null]), true)
    assert.equal(exists(null), false)
  })
  it('between is inclusive and false with null', () => {
    assert.equal(between(5, 1, 5), true)
    assert.equal(between(0, 1, 5), false)
    assert.equal(between(null, 1, 5), false)
    assert.equal(between('b', 'a', 'c'), true)
  })
  it('like: %, _, escapes, case-sensitive', () => {
    assert.equal(like('Alice', 'A%e'), true)
    assert.equal(like('Alice', 'a%'), false)
    assert.equal(like('Bob', 'B_b'), true)
    assert.equal(like('50%', '50\\%'), true)
    assert.equal(like('500', '50\\%'), false)
    assert.equal(like('a.b', 'a.b'), true)
    assert.equal(like('axb', 'a.b'), false)
    assert.equal(like('😀x', '_x'), true)
    assert.equal(like(null, '%'), false)
  })
  it('coalesce and concat', () => {
    assert.equal(coalesce(null, undefined, 'x', 'y'), 'x')
    assert.equal(coalesce(null), null)
    assert.equal(concat('a', null, 1, undefined, 'b'), 'a1b')
  })
  it('groupConcat and distinct', () => {
    assert.equal(groupConcat(['a', null, 'b']), 'a,b')
    assert.equal(groupConcat(['a', 'b'], '; '), 'a; b')
    assert.equal(groupConcat([]), null)
    assert.deepEqual(distinct([1, 1, 2, null, null]), [1, 2, null])
    assert.equal(sum(distinct([1, 1, 2])), 3)
  })
  it('sortByKeys with desc: nulls first ascending, last descending', () => {
    const rows = [{ n: 'b', a: 2 }, { n: 'a', a: null }, { n: 'c', a: 2 }, { n: 'd', a: 1 }]
    assert.deepEqual(sortByKeys(rows, (r) => r.a).map((r) => r.n), ['a', 'd', 'b', 'c'])
    assert.deepEqual(sortByKeys(rows, (r) => desc(r.a)).map((r) => r.n), ['b', 'c', 'd', 'a'])
    assert.deepEqual(sortByKeys(rows, (r) => [desc(r.a), desc(r.n)]).map((r) => r.n), ['c', 'b', 'd', 'a'])
    assert.deepEqual(rows.map((r) => r.n), ['b', 'a', 'c', 'd'])
  })
  it('raw only records its parts in memory', () => {
    const r = raw`lower(${'x'}) = ${1}`
    assert.deepEqual(r.parts, ['lower(', ') = ', ''])
    assert.deepEqual(r.values, ['x', 1])
  })
  it('a lambda means the same run over plain objects', () => {
    const people = [{ name: 'Ann', cars: [{ price: 10 }, { price: 5 }] }, { name: 'Bob', cars: [] as { price: number }[] }]
    const lambda = (p: (typeof people)[number]): boolean => sum(p.cars.map((c) => c.price)) > 12 || count(p.cars) === 0
    assert.deepEqual(people.filter(lambda).map((p) => p.name), ['Ann', 'Bob'])
  })
})

it('a single value is a group of one (what map(p => sum(p.views)) means per row); a string is one value', () => {
  assert.equal(sum(5), 5)
  assert.equal(sum(null), 0)
  assert.equal(sum(7n), 7n)
  assert.equal(avg(4), 4)
  assert.equal(avg(null), null)
  assert.equal(min('b'), 'b')
  assert.equal(max(3), 3)
  assert.equal(count('ab'), 1)
  assert.equal(count(null), 0)
  const d = new Date(0)
  assert.equal(max(d), d)
})
