/**
 * The translation cache: a second run of the same query shape neither parses
 * nor translates; a different params shape (null vs value, array length)
 * translates again without parsing; the cache key is the shape, not values.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { clearCompilerCache, compilerStats, describeParamsShape, resetCompilerStats } from '../../compiler/compile.js'
import { FakeEntity } from './corpus.js'
import type { QueryOp, QueryTerminal } from '../../compiler/query-spec.js'
import { LONG_LIST, MAX_PARAM_DEPTH } from '../../compiler/translate/param-shape.js'
import { compile, filter, schema, spec } from './fixtures.js'
import { rng } from '../support/rng.js'

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
    const ages: QueryOp = { op: 'map', lambda: { fn: (p: { age: number }) => p.age, params: undefined } }
    const sqls = [
      person([{ op: 'limit', limit: 5, offset: 0 }]), person([{ op: 'limit', limit: 5, offset: 2 }]),
      person([{ op: 'limit', limit: null, offset: 2 }]), person([{ op: 'distinct', distinct: true }]),
      person([], { kind: 'count' }), person([{ op: 'defaultOrder' }]), person([], { kind: 'exists' }),
      person([ages], { kind: 'aggregate', fn: 'max', lambda: null }), person([ages], { kind: 'aggregate', fn: 'min', lambda: null }),
      person([], { kind: 'aggregate', fn: 'max', lambda: { fn: (p: { score: number }) => p.score, params: undefined } }),
    ]
    assert.equal(new Set(sqls).size, sqls.length, sqls.join('\n'))
    assert.match(sqls[1]!, /OFFSET/)
    assert.doesNotMatch(sqls[0]!, /OFFSET/)
  })

  it('the text of a lambda is its key: another closure of the same text hits, a text one character apart does not', () => {
    const gt = (min: number): QueryOp => filter((p: { age: number }, $: { min: number }) => p.age > $.min, { min })
    const ge = (min: number): QueryOp => filter((p: { age: number }, $: { min: number }) => p.age >= $.min, { min })
    resetCompilerStats()
    const first = compile(spec('Person', [gt(1)])).sql
    assert.equal(compile(spec('Person', [gt(2)])).sql, first)
    assert.deepEqual(compilerStats(), { parses: 1, translations: 1, cacheHits: 1 })
    const other = compile(spec('Person', [ge(1)])).sql
    assert.match(first, /> \?/)
    assert.match(other, />= \?/)
    assert.deepEqual(compilerStats(), { parses: 2, translations: 2, cacheHits: 1 })
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

const SEED = Number(process.env.CACHE_SEED ?? 20240917)

describe(`translation cache against describeParamsShape (generated params, seed ${SEED})`, () => {
  // Keys that look like the shape string's punctuation or codes, integer-like keys (Object.keys puts them first), '' and '__proto__'.
  const KEYS = ['a', 'b', 'c', '}', '{', ',', ':', '"', '', 'N', 'S', 'n', 'E', '{*}', '[*]', '[0]', 'a":N,"b', '1', '0', '__proto__']
  class Point { constructor(readonly x: unknown, readonly y: unknown) {} }
  class Bag { [key: string]: unknown }
  type Obj = Record<string, unknown>

  const rand = rng(SEED)
  const int = (n: number): number => Math.floor(rand() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
  /** An own enumerable key, even '__proto__' (an assignment would set the prototype). */
  const put = (o: Obj, k: string, v: unknown): void => void Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
  const isPlainObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null)

  const scalar = (): unknown => pick<() => unknown>([
    () => int(3) - 1, () => 2.5, () => 2 ** 40, () => -0, () => NaN, () => pick(['', 'x', '}']), () => null, () => undefined,
    () => rand() < 0.5, () => BigInt(int(3)), () => new Date(int(1e12)), () => new Uint8Array(int(3)),
    () => new FakeEntity(int(9)), () => new Point(1, 2), () => new Map(), () => (): number => 1, () => Symbol('s'),
  ])()
  /** A plain object (or a class instance, when `into` is one) with up to 3 random keys. */
  const object = (depth: number, into: Obj = rand() < 0.8 ? {} : Object.create(null) as Obj): Obj => {
    for (let i = int(4); i > 0; i--) put(into, pick(KEYS), value(depth + 1))
    return into
  }
  const value = (depth: number): unknown => {
    switch (depth > MAX_PARAM_DEPTH + 2 ? 0 : int(10)) {
      case 0: case 1: case 2: return scalar()
      case 3: return Array.from({ length: int(4) }, scalar)
      case 4: return Array.from({ length: int(3) }, () => value(depth + 1))
      case 5: case 6: return object(depth)
      case 7: { // a chain of one-key objects reaching past MAX_PARAM_DEPTH
        let v: unknown = rand() < 0.5 ? Array.from({ length: int(3) }, scalar) : object(MAX_PARAM_DEPTH)
        for (let i = int(MAX_PARAM_DEPTH + 2); i > 0; i--) v = { [pick(['a', 'b'])]: v }
        return v
      }
      case 8: return pick<() => unknown>([() => new Point(scalar(), scalar()), () => object(depth, new Bag() as Obj), () => new Map([[1, int(2)]])])()
      default: return pick<() => unknown>([ // long lists, and an array past LONG_LIST that is not one
        () => Array.from({ length: LONG_LIST + 1 + int(3) }, () => pick([1, 2.5, 'x', null])),
        () => Array.from({ length: LONG_LIST + 1 }, (_, i) => (i === LONG_LIST ? { a: int(2) } : i)),
      ])()
    }
  }
  /** Another value of the same shape: other scalars of the same type, other entities, a null for an undefined, anything past MAX_PARAM_DEPTH. */
  const revalue = (v: unknown, depth: number): unknown => {
    if (v === null || v === undefined) return pick([null, undefined])
    switch (typeof v) {
      case 'number': return Number.isInteger(v) && Math.abs(v) <= 2147483647 ? pick([7, -0, 2147483647]) : pick([0.1, -1e300, Infinity, NaN])
      case 'string': return pick(['', 'y', '{'])
      case 'boolean': return !v
      case 'bigint': return v + 1n
      case 'function': case 'symbol': return pick([Symbol('t'), (): number => 2])
      default: break
    }
    if (v instanceof Date) return new Date(int(1e12))
    if (v instanceof Uint8Array) return new Uint8Array(int(5))
    if (Array.isArray(v)) {
      if (depth >= MAX_PARAM_DEPTH && v.length <= LONG_LIST) return Array.from({ length: int(3) }, () => value(depth + 1))
      return v.map((x) => revalue(x, depth + 1))
    }
    if (!isPlainObject(v)) return pick([new FakeEntity(1), new Point(null, 'x'), new Map(), new Bag()])
    if (depth >= MAX_PARAM_DEPTH) return object(depth)
    const out: Obj = rand() < 0.5 ? {} : Object.create(null) as Obj
    for (const k of Object.keys(v)) put(out, k, revalue(v[k], depth + 1))
    return out
  }
  /** A small plain object over few keys, some of them shape codes, and two leaf codes: near misses of each other are likely. */
  const small = (depth: number): Obj => {
    const out: Obj = {}
    for (let i = int(depth === 0 ? 3 : 2); i > 0; i--) put(out, pick(['a', 'N', 'S', 'N', 'S']), depth < 2 && rand() < 0.5 ? small(depth + 1) : pick([1, 'x']))
    return out
  }
  /** Moves one entry across an object boundary: a nested object's last entry out after it, or the entry after it in. */
  const regroup = (v: Obj): Obj => {
    const keys = Object.keys(v)
    const at = int(keys.length)
    const out: Obj = {}
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!
      const inner = v[k]
      if (i !== at || !isPlainObject(inner)) put(out, k, v[k])
      else if (Object.keys(inner).length > 0 && rand() < 0.5) {
        const innerKeys = Object.keys(inner)
        const moved: Obj = {}
        for (const x of innerKeys.slice(0, -1)) put(moved, x, inner[x])
        put(out, k, moved)
        put(out, innerKeys.at(-1)!, inner[innerKeys.at(-1)!])
      } else if (i + 1 < keys.length) {
        const moved: Obj = {}
        for (const x of Object.keys(inner)) put(moved, x, inner[x])
        put(moved, keys[i + 1]!, v[keys[i + 1]!])
        put(out, k, moved)
        i++
      } else put(out, k, regroup(inner))
    }
    return out
  }
  /** The same own keys and values in reverse order (a new shape, unless Object.keys puts them back). */
  const reordered = (v: Obj): Obj => {
    const out: Obj = {}
    for (const k of Object.keys(v).reverse()) put(out, k, v[k])
    return out
  }

  it('two params objects share a compiled query exactly when their describeParamsShape is equal', () => {
    // New params objects (mostly plain, some with a null prototype, some class instances or a Map; some
    // small ones over keys named like shape codes), and for earlier ones: another value of the same
    // shape, their keys reordered, or one entry moved into or out of a nested object. The params object
    // is never null or undefined itself: both describe as 'n', yet no params object (undefined) and a
    // null one are different keys, rightly (the translator tells them apart).
    const params: unknown[] = []
    while (params.length < 800) {
      const r = rand()
      const earlier = params[int(params.length)]
      if (earlier === undefined || r < 0.2) params.push(rand() < 0.85 ? object(0) : pick<() => unknown>([() => new Point(1, 2), () => object(0, new Bag() as Obj), () => new Map(), () => new FakeEntity(1)])())
      else if (r < 0.5) params.push(small(0))
      else if (r < 0.75 || !isPlainObject(earlier)) params.push(revalue(earlier, 0))
      else params.push(rand() < 0.3 ? reordered(earlier) : regroup(earlier))
    }
    // The lambda does not read its params: their shape is still part of the key, and no value can make it throw.
    clearCompilerCache(schema)
    const first = new Map<string, object>()
    for (const [i, given] of params.entries()) {
      const shape = describeParamsShape(given)
      const known = first.get(shape)
      resetCompilerStats()
      const compiled = compile(spec('Person', [filter((p: { age: number }) => p.age > 3, given as Obj)], { kind: 'count' }))
      const { translations, cacheHits } = compilerStats()
      if (known === undefined) {
        assert.deepEqual({ translations, cacheHits }, { translations: 1, cacheHits: 0 }, `params #${i} (seed ${SEED}), a new shape ${shape}, found a compiled query`)
        first.set(shape, compiled)
      } else {
        assert.deepEqual({ translations, cacheHits }, { translations: 0, cacheHits: 1 }, `params #${i} (seed ${SEED}), of the known shape ${shape}, was translated again`)
        assert.equal(compiled, known)
      }
    }
    // Both outcomes, often: the property is not checked by a run of only new shapes or only repeats.
    assert.ok(first.size > 100 && params.length - first.size > 100, `${first.size} shapes in ${params.length} params`)
  })
})
