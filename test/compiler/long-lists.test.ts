/**
 * Long `includes` lists: an array param of more than LONG_LIST values is one
 * slot holding the whole list (the golden corpus has the SQL of each form
 * for the three flavors: 'in long …'). Here: the threshold, the shape key
 * (kinds of value, not the length), one compiled statement for every
 * length, the errors, and how the runtime binds such a slot.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compilerStats, describeParamsShape, resetCompilerStats } from '../../compiler/compile.js'
import { LONG_LIST } from '../../compiler/translate/param-shape.js'
import { bindParams } from '../../runtime/query/bind.js'
import { dialectFor } from '../../dialects/index.js'
import { FakeEntity } from './corpus.js'
import { compile, errorOf, filter, spec, sqlOf } from './fixtures.js'

/* eslint-disable @typescript-eslint/no-explicit-any */
type P = any

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i)
const byIds = (ids: unknown[]) => spec('Person', [filter((p: P) => ids.includes(p.id), { ids })])

describe('long includes lists', () => {
  it(`up to ${LONG_LIST} values stay an IN list of placeholders; above, one slot`, () => {
    const short = compile(byIds(range(LONG_LIST)), 'postgres')
    assert.equal(short.slots.length, LONG_LIST)
    assert.match(short.sql, /"p"\."id" IN \(\$1, \$2, .*\$100\)$/)
    assert.deepEqual(sqlOf(byIds(range(LONG_LIST + 1))), {
      sqlite: 'SELECT "p"."id", "p"."name", "p"."age", "p"."email", "p"."born", "p"."score", "p"."active", "p"."nick", "p"."gpa", "p"."classtype" FROM "person" "p" WHERE "p"."id" IN (SELECT value FROM json_each(?))',
      postgres: 'SELECT "p"."id", "p"."name", "p"."age", "p"."email", "p"."born", "p"."score", "p"."active", "p"."nick", "p"."gpa", "p"."classtype" FROM "person" "p" WHERE "p"."id" = ANY(CAST($1 AS INTEGER[]))',
      mysql: "SELECT `p`.`id`, `p`.`name`, `p`.`age`, `p`.`email`, `p`.`born`, `p`.`score`, `p`.`active`, `p`.`nick`, `p`.`gpa`, `p`.`classtype` FROM `person` `p` WHERE `p`.`id` IN (SELECT j.v FROM JSON_TABLE(?, '$[*]' COLUMNS (v BIGINT PATH '$')) AS j)",
    })
    for (const flavor of ['sqlite', 'postgres', 'mysql'] as const) {
      assert.deepEqual(compile(byIds(range(70_000)), flavor).slots, [{ from: 'lambda', lambda: 0, path: ['ids'], type: 'int', list: flavor === 'postgres' ? 'array' : 'json' }])
    }
  })

  it('the shape names the kinds of value of a long list, not its length', () => {
    assert.equal(describeParamsShape({ ids: range(101) }), '{"ids":[L:N]}')
    assert.equal(describeParamsShape({ ids: range(70_000) }), '{"ids":[L:N]}')
    assert.equal(describeParamsShape({ ids: [...range(200), null, 2.5, 'x'] }), '{"ids":[L:N,R,S,n]}')
    assert.equal(describeParamsShape({ ids: range(150).map((i) => new FakeEntity(i)) }), '{"ids":[L:E]}')
    assert.equal(describeParamsShape({ ids: range(100) }), '{"ids":[100:N]}')
    // Arrays of arrays or objects are never long lists: their shape stays element by element.
    assert.match(describeParamsShape({ rows: range(101).map((i) => ({ i })) }), /^\{"rows":\[\{"i":N\},/)
  })

  it('every long list of one kind shares one compiled statement', () => {
    const run = (ids: number[]): string => compile(spec('Person', [filter((p: P) => ids.includes(p.id) || !ids.includes(p.age), { ids })]), 'postgres').sql
    resetCompilerStats()
    const a = run(range(101))
    const b = run(range(5_000))
    const c = run(range(70_000))
    assert.equal(a, b)
    assert.equal(b, c)
    assert.deepEqual(compilerStats(), { parses: 1, translations: 1, cacheHits: 2 })
    // A null in the list changes the SQL (`OR x IS NULL`): another shape.
    run([...range(150), null as never])
    assert.equal(compilerStats().translations, 2)
  })

  it('.length is bound; other reads of a long list fail with a message', () => {
    const ids = range(150)
    const c = compile(spec('Person', [filter((p: P) => p.age < ids.length, { ids })]))
    assert.deepEqual(c.slots, [{ from: 'lambda', lambda: 0, path: ['ids', 'length'], type: 'int' }])
    assert.match(errorOf(spec('Person', [filter((p: P) => p.id === ids[3], { ids })])), /more than 100 values can only be used with \.includes\(x\) and \.length/)
    assert.match(errorOf(spec('Person', [filter((p: P) => ids.includes(p.name), { ids })])), /A list holding an int never includes a string/)
    assert.match(errorOf(spec('Person', [filter((p: P) => ids.includes(p.id), { ids: [...ids, () => 1] })])), /a function cannot be used in a query/)
    assert.match(errorOf(spec('Car', [filter((c: P) => ids.includes(c.owner), { ids })])), /Expected an entity here/)
  })

  it('null arguments and null-only lists fold like short lists', () => {
    const nulls = range(150).map(() => null)
    assert.match(compile(spec('Person', [filter((p: P) => nulls.includes(p.nick), { nulls })])).sql, /WHERE "p"\."nick" IS NULL$/)
    assert.match(compile(spec('Person', [filter((p: P) => !nulls.includes(p.nick), { nulls })])).sql, /WHERE "p"\."nick" IS NOT NULL$/)
    const ids = [...range(150), null]
    assert.match(compile(spec('Person', [filter((p: P) => ids.includes(null), { ids })])).sql, /WHERE TRUE$/)
  })

  it('the runtime binds a list slot as one value: nulls left out, each element converted, then an array or JSON', () => {
    const when = new Date(Date.UTC(2024, 1, 29, 8, 0, 0, 5))
    const lists = { d: [...range(150).map(() => when), null], b: [...range(120).map((i) => i % 2 === 0), null], s: range(101).map((i) => `"${i}\\`) }
    const q = spec('Person', [filter((p: P) => d.includes(p.born) && b.includes(p.active) && s.includes(p.name), lists)])
    const bound = (provider: 'sqlite' | 'postgres' | 'mysql'): unknown[] => bindParams(dialectFor(provider), compile(q, provider), q)
    const sqlite = bound('sqlite') as string[]
    assert.deepEqual(JSON.parse(sqlite[0]!), range(150).map(() => '2024-02-29T08:00:00.005Z'))
    assert.deepEqual(JSON.parse(sqlite[1]!), range(120).map((i) => (i % 2 === 0 ? 1 : 0)))
    assert.deepEqual(JSON.parse(sqlite[2]!), lists.s)
    const mysql = bound('mysql') as string[]
    assert.deepEqual(JSON.parse(mysql[0]!), range(150).map(() => '2024-02-29 08:00:00.005'))
    assert.deepEqual(JSON.parse(mysql[1]!), range(120).map((i) => i % 2 === 0))
    const pg = bound('postgres') as unknown[][]
    assert.equal(pg[0]!.length, 150)
    assert.equal(pg[0]![0], '2024-02-29T08:00:00.005Z')
    assert.deepEqual(pg[2], lists.s)
    const big = [...range(150).map((i) => 2n ** 62n + BigInt(i))]
    const bs = spec('Person', [filter((p: P) => big.includes(p.age), { big })])
    assert.throws(() => bindParams(dialectFor('sqlite'), compile(bs), bs), /cannot take a bigint/)
  })
})

declare const d: P[]
declare const b: P[]
declare const s: P[]
