/**
 * SEMANTICS.md row by row: the SQL each flavor gets for the places where
 * JavaScript and SQL disagree (exact text of the interesting clause). The
 * full statements of every construct are in the golden files.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { QueryOp } from '../../compiler/query-spec.js'
import { L, compile, filter, fromSource, spec, sqlOf } from './fixtures.js'

type Flavors = { sqlite: string; postgres: string; mysql: string }

/** The clause from `WHERE`/`ORDER BY` (or the select list) on, per flavor. */
function tail(src: string, from: 'WHERE' | 'ORDER BY' | 'SELECT', params?: Record<string, unknown>, op: 'filter' | 'map' | 'orderBy' = 'filter'): Flavors {
  const o: QueryOp = op === 'filter' ? filter(fromSource(src), params) : { op, lambda: L(fromSource(src), params) }
  const all = sqlOf(spec('Person', [o]))
  const cut = (s: string): string => (from === 'SELECT' ? s.slice(7, s.search(/ FROM ["`]person["`]/)) : s.slice(s.indexOf(` ${from} `) + 1))
  return { sqlite: cut(all.sqlite), postgres: cut(all.postgres), mysql: cut(all.mysql) }
}

function same(sql: string): Flavors {
  return { sqlite: sql, postgres: sql.replace(/\?/g, () => '$?'), mysql: sql.replaceAll('"', '`') }
}

/** Number the `$?` placeholders of a PostgreSQL string. */
function pg(f: Flavors): Flavors {
  let i = 0
  return { ...f, postgres: f.postgres.replace(/\$\?/g, () => `$${++i}`) }
}

describe('SEMANTICS.md', () => {
  it('#1 #2 true division, division by zero is null', () => {
    assert.deepEqual(tail('p => p.age / p.score > 1', 'WHERE'), {
      sqlite: 'WHERE CAST("p"."age" AS REAL) / NULLIF("p"."score", 0) > ?',
      postgres: 'WHERE CAST("p"."age" AS DOUBLE PRECISION) / NULLIF("p"."score", 0) > $1',
      mysql: 'WHERE CAST(`p`.`age` AS DOUBLE) / NULLIF(`p`.`score`, 0) > ?',
    })
  })
  it('#3 remainder of doubles', () => {
    assert.deepEqual(tail('p => p.score % 2 === 1.5', 'WHERE'), {
      sqlite: 'WHERE pinto_fmod("p"."score", ?) = ?',
      // The divisor is written twice but bound once: a numbered placeholder is reused for the same value.
      postgres: 'WHERE ("p"."score" - CAST($1 AS DOUBLE PRECISION) * TRUNC("p"."score" / CAST($1 AS DOUBLE PRECISION))) = $2',
      mysql: 'WHERE MOD(`p`.`score`, ?) = ?',
    })
  })
  it('#8 #9 startsWith is case-sensitive and literal', () => {
    assert.deepEqual(tail("p => p.name.startsWith('5%_!')", 'WHERE'), {
      sqlite: 'WHERE SUBSTR("p"."name", 1, LENGTH(?)) = ?',
      postgres: 'WHERE "p"."name" LIKE $1 ESCAPE \'!\'',
      mysql: 'WHERE `p`.`name` LIKE ? ESCAPE \'!\'',
    })
    assert.deepEqual(compile(spec('Person', [filter(fromSource("p => p.name.startsWith('5%_!')"))]), 'postgres').slots, [{ from: 'const', value: '5!%!_!!%', type: 'string' }])
  })
  it('#11 null param and null === null', () => {
    assert.deepEqual(tail('p => p.email === e', 'WHERE', { e: null }), same('WHERE "p"."email" IS NULL'))
    assert.deepEqual(tail('p => p.email === p.nick', 'WHERE'), {
      sqlite: 'WHERE ("p"."email" IS "p"."nick")',
      postgres: 'WHERE ("p"."email" IS NOT DISTINCT FROM "p"."nick")',
      mysql: 'WHERE (`p`.`email` <=> `p`.`nick`)',
    })
  })
  it('#12 negation includes nulls; #13 relational with null is false', () => {
    assert.deepEqual(tail('p => !(p.score > 5)', 'WHERE'), pg(same('WHERE "p"."score" <= ? OR "p"."score" IS NULL')))
    assert.deepEqual(tail("p => p.email !== 'x'", 'WHERE'), pg(same('WHERE "p"."email" <> ? OR "p"."email" IS NULL')))
    assert.deepEqual(tail('p => p.score >= null', 'WHERE'), same('WHERE FALSE'))
  })
  it('#14 #15 #16 IN lists with null and empty lists', () => {
    assert.deepEqual(tail('p => ids.includes(p.score)', 'WHERE', { ids: [2, null] }), pg(same('WHERE "p"."score" IN (?) OR "p"."score" IS NULL')))
    assert.deepEqual(tail('p => !ids.includes(p.score)', 'WHERE', { ids: [2, null] }), pg(same('WHERE ("p"."score" NOT IN (?) OR "p"."score" IS NULL) AND "p"."score" IS NOT NULL')))
    assert.deepEqual(tail('p => !ids.includes(p.score)', 'WHERE', { ids: [2] }), pg(same('WHERE "p"."score" NOT IN (?) OR "p"."score" IS NULL')))
    assert.deepEqual(tail('p => ids.includes(p.id)', 'WHERE', { ids: [] }), same('WHERE FALSE'))
  })
  it('#18 concatenation', () => {
    assert.deepEqual(tail("p => p.name + '!'", 'SELECT', undefined, 'map'), { sqlite: '("p"."name" || ?)', postgres: '("p"."name" || $1)', mysql: 'CONCAT(`p`.`name`, ?)' })
  })
  it('#19 #20 length and upper case', () => {
    assert.deepEqual(tail('p => [p.name.length, p.name.toUpperCase()]', 'SELECT', undefined, 'map'), {
      sqlite: 'LENGTH("p"."name"), pinto_upper("p"."name")',
      postgres: 'CHAR_LENGTH("p"."name"), UPPER("p"."name")',
      mysql: 'CHAR_LENGTH(`p`.`name`), UPPER(`p`.`name`)',
    })
  })
  it('#21 #22 Math.round is FLOOR(x + 0.5)', () => {
    assert.deepEqual(tail('p => Math.round(p.score)', 'SELECT', undefined, 'map'), {
      sqlite: 'FLOOR(("p"."score" + ?))',
      postgres: 'FLOOR(("p"."score" + CAST($1 AS DOUBLE PRECISION)))',
      mysql: 'FLOOR((`p`.`score` + ?))',
    })
  })
  it('#24 numbers are bound, literal arithmetic is JavaScript\'s', () => {
    const c = compile(spec('Person', [filter(fromSource('p => p.score === 0.1 + 0.2'))]))
    assert.deepEqual(c.slots, [{ from: 'const', value: 0.30000000000000004, type: 'number' }])
  })
  it('#27 #28 #29 0-based and negative indexes', () => {
    assert.deepEqual(tail("p => [p.name.substring(0, 2), p.name.slice(-3), p.name.indexOf('z')]", 'SELECT', undefined, 'map'), {
      sqlite: 'SUBSTR("p"."name", ?, ?), SUBSTR("p"."name", -(?)), INSTR("p"."name", ?) - 1',
      postgres: 'SUBSTR("p"."name", CAST($1 AS INTEGER), CAST($2 AS INTEGER)), RIGHT("p"."name", CAST($3 AS INTEGER)), STRPOS("p"."name", $4) - 1',
      mysql: 'SUBSTR(`p`.`name`, ?, ?), RIGHT(`p`.`name`, ?), INSTR(`p`.`name`, ?) - 1',
    })
    assert.deepEqual(compile(spec('Person', [{ op: 'map', lambda: L(fromSource('p => p.name.substring(0, 2)')) }])).slots.map((s) => (s.from === 'const' ? s.value : null)), [1, 2])
  })
  it('#30 trim removes JavaScript whitespace', () => {
    assert.deepEqual(tail('p => p.name.trim()', 'SELECT', undefined, 'map'), {
      sqlite: 'TRIM("p"."name", ?)',
      postgres: 'BTRIM("p"."name", $1)',
      mysql: "REGEXP_REPLACE(`p`.`name`, ?, '')",
    })
  })
  it('#32 truthiness per type', () => {
    assert.deepEqual(tail('p => p.nick && !p.score', 'WHERE'), same('WHERE "p"."nick" <> \'\' AND ("p"."score" = 0 OR "p"."score" IS NULL)'))
  })
  it('#34 nulls first ascending, last descending, only for nullable keys', () => {
    assert.deepEqual(tail('p => [p.score, desc(p.email), p.name]', 'ORDER BY', undefined, 'orderBy'), {
      sqlite: 'ORDER BY "p"."score", "p"."email" DESC, "p"."name"',
      postgres: 'ORDER BY "p"."score" NULLS FIRST, "p"."email" DESC NULLS LAST, "p"."name"',
      mysql: 'ORDER BY `p`.`score`, `p`.`email` DESC, `p`.`name`',
    })
  })
  it('#23 an int expression holding bound numbers prints as an integer', () => {
    assert.deepEqual(tail('p => `${p.age * 2}|${p.age}`', 'SELECT', undefined, 'map'), {
      sqlite: '(CAST(CAST(("p"."age" * ?) AS INTEGER) AS TEXT) || ? || CAST("p"."age" AS TEXT))',
      postgres: '(CAST(("p"."age" * CAST($1 AS INTEGER)) AS TEXT) || $2 || CAST("p"."age" AS TEXT))',
      mysql: 'CONCAT(CAST((`p`.`age` * ?) AS CHAR), ?, CAST(`p`.`age` AS CHAR))',
    })
  })
  it('#39 an int column meets a number with a fraction', () => {
    // A fractional param is bound as a double (cast where PostgreSQL would infer an integer); an integer keeps the column's type.
    assert.deepEqual(tail('(p, $) => p.age < $.x', 'WHERE', { x: 2.5 }), { sqlite: 'WHERE "p"."age" < ?', postgres: 'WHERE "p"."age" < CAST($1 AS DOUBLE PRECISION)', mysql: 'WHERE `p`.`age` < ?' })
    assert.deepEqual(tail('(p, $) => p.age < $.x', 'WHERE', { x: 2 }), pg(same('WHERE "p"."age" < ?')))
    assert.deepEqual(compile(spec('Person', [filter(fromSource('(p, $) => p.age < $.x'), { x: 2.5 })]), 'sqlite').slots, [{ from: 'lambda', lambda: 0, path: ['x'], type: 'number' }])
    // A fractional literal is never equal to an int, and orders against the nearest integer (the index stays usable).
    assert.deepEqual(tail('p => [0.5, 7].includes(p.age) || p.age >= 2.5 || p.age === 0.5', 'WHERE'), pg(same('WHERE "p"."age" IN (?) OR "p"."age" >= ?')))
    assert.deepEqual(compile(spec('Person', [filter(fromSource('p => p.age >= 2.5 || p.age < 2.5 || p.age > 2.5 || p.age <= 2.5'))]), 'sqlite').slots.map((s) => (s.from === 'const' ? s.value : null)), [3, 3, 2, 2])
  })
  it('JSON === null is an explicit JSON null; == null is null or missing', () => {
    const f = (src: string): Flavors => {
      const all = sqlOf(spec('Car', [filter(fromSource(src))]))
      const cut = (s: string): string => s.slice(s.indexOf(' WHERE ') + 1)
      return { sqlite: cut(all.sqlite), postgres: cut(all.postgres), mysql: cut(all.mysql) }
    }
    assert.deepEqual(f('c => c.extra.color === null'), {
      sqlite: 'WHERE (JSON_TYPE("c"."extra", ?) = \'null\')',
      postgres: 'WHERE (JSONB_TYPEOF("c"."extra" #> CAST(ARRAY[$1] AS TEXT[])) = \'null\')',
      mysql: 'WHERE (JSON_TYPE(JSON_EXTRACT(`c`.`extra`, ?)) = \'NULL\')',
    })
    assert.deepEqual(f('c => c.extra.color == null'), {
      sqlite: 'WHERE JSON_EXTRACT("c"."extra", ?) IS NULL',
      postgres: 'WHERE ("c"."extra" #>> CAST(ARRAY[$1] AS TEXT[])) IS NULL',
      mysql: 'WHERE CAST(JSON_VALUE(`c`.`extra`, ?) AS CHAR) IS NULL',
    })
  })
  it('#37 date parts in UTC', () => {
    assert.deepEqual(tail('p => p.born.getMonth()', 'SELECT', undefined, 'map'), {
      sqlite: '(CAST(SUBSTR("p"."born", 6, 2) AS INTEGER) - 1)',
      postgres: '(CAST(EXTRACT(MONTH FROM "p"."born" AT TIME ZONE \'UTC\') AS INTEGER) - 1)',
      mysql: '(MONTH(`p`.`born`) - 1)',
    })
  })
})
