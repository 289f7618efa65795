/**
 * Parser and translator fuzzing: 100,000 lambda sources, generated from a
 * small grammar of what lambdas contain (valid and invalid parts mixed) and
 * then mutated character by character, each go through the whole pipeline
 * (parse, translate, lower, render for every flavor). Each must either give
 * SQL or throw a TranslationError: never another error, never a hang. The
 * seed is printed; rerun one with FUZZ_SEED=<n>.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { TranslationError } from '../../compiler/errors.js'
import { lowerQuery } from '../../compiler/lower/lower-query.js'
import { parseLambda } from '../../compiler/parse/parse-lambda.js'
import { render } from '../../compiler/render/render.js'
import { translateQuery } from '../../compiler/translate/query.js'
import { FLAVORS, filter, schema, spec } from './fixtures.js'
import { rng } from '../support/rng.js'

const SEED = Number(process.env.FUZZ_SEED ?? 20240601)
const CASES = Number(process.env.FUZZ_CASES ?? 100_000)


const rand = rng(SEED)
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
const chance = (p: number): boolean => rand() < p

/** Mostly valid choices, sometimes an invalid one. */
const mix = (valid: readonly string[], invalid: readonly string[]): readonly string[] => [...valid, ...valid, ...valid, ...invalid]
const PERSON = mix(['age', 'name', 'email', 'born', 'score', 'active', 'nick', 'id', 'fullName'], ['agee', 'cars', 'driving'])
const CAR = mix(['make', 'price', 'year', 'model'], ['owner', 'driver', 'extra', 'tags'])
const LITERALS = mix(['1', '0', '-2', '2.5', "'a'", "'%_!'", 'null', 'undefined', 'true', 'false', 'void 0', '!0'], ['NaN', '1e400', '10n', '``', "'\\u00e9'"])
const NAMES = mix(['minAge', 'name', 'n', '$.minAge', '$.obj.x'], ['ids', '$.ids', 'v2', 'unknownThing', 'Math', 'Date', 'Car', 'Person', 'this'])
const BINARY = mix(['+', '-', '*', '/', '%', '===', '!==', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '??'], ['**', '&', 'in', 'instanceof', ','])
const METHODS = ['startsWith', 'endsWith', 'includes', 'toLowerCase', 'toUpperCase', 'trim', 'slice', 'substring', 'indexOf', 'getFullYear', 'getMonth', 'some', 'every', 'filter', 'map', 'length', 'padStart', 'count', 'exists', 'sum']
const HELPERS = ['count', 'sum', 'avg', 'min', 'max', 'exists', 'between', 'like', 'coalesce', 'concat', 'groupConcat', 'distinct', 'desc', 'foo', '(0, pinto_1.count)', 'import_pinto.sum', 'Math.max', 'Math.round']

function expr(v: string, depth: number, entity: 'p' | 'c'): string {
  if (depth <= 0) return chance(0.5) ? `${v}.${pick(entity === 'p' ? PERSON : CAR)}` : chance(0.5) ? pick(LITERALS) : pick(NAMES)
  const d = depth - 1
  switch (Math.floor(rand() * 14)) {
    case 0: return `${expr(v, d, entity)} ${pick(BINARY)} ${expr(v, d, entity)}`
    case 1: return `!${expr(v, d, entity)}`
    case 2: return `-${expr(v, d, entity)}`
    case 3: return `(${expr(v, d, entity)} ? ${expr(v, d, entity)} : ${expr(v, d, entity)})`
    case 4: return `${expr(v, d, entity)}.${pick(METHODS)}(${chance(0.5) ? expr(v, d, entity) : ''})`
    case 5: return `${pick(HELPERS)}(${expr(v, d, entity)}${chance(0.3) ? `, ${expr(v, d, entity)}` : ''})`
    case 6: return entity === 'p' ? `p.cars.${pick(['some', 'every', 'filter', 'map'])}(c => ${expr('c', d, 'c')})${chance(0.5) ? '.length' : ''}` : `c.owner.${pick(PERSON)}`
    case 7: return `[${expr(v, d, entity)}, ${expr(v, d, entity)}].includes(${expr(v, d, entity)})`
    case 8: return `\`\${${expr(v, d, entity)}}-x\``
    case 9: return `${v}.${entity === 'p' ? 'cars' : 'owner'}?.${pick(entity === 'p' ? ['length', 'x'] : PERSON)}`
    case 10: return `(_a = ${expr(v, d, entity)}) === null || _a === void 0 ? void 0 : _a.${pick(PERSON)}`
    case 11: return `${v}.extra${pick(['.color', '.tags[0]', '?.n', '["k"]'])}`
    case 12: return `Car.select(c => ${expr('c', d, 'c')}).${pick(['exists()', 'count()', 'length'])}`
    default: return `(${expr(v, d, entity)})`
  }
}

function lambda(): string {
  const body = expr('p', 1 + Math.floor(rand() * 4), 'p')
  switch (Math.floor(rand() * 6)) {
    case 0: return `(p, $) => ${body}`
    case 1: return `p => { var _a; return ${body}; }`
    case 2: return `function (p) { return ${body} }`
    case 3: return `async p => ${body}`
    default: return `p => ${body}`
  }
}

const JUNK = ['(', ')', '[', ']', '{', '}', '=>', '.', '?.', '??', ',', ';', '`', '${', "'", '"', '\\', 'return', 'new ', '= ', '++', 'await ', 'yield', '/', '*', '#', '@', '\u0000', '\n', 'p', '$', '0x', 'class ', 'function']

function mutate(src: string): string {
  let s = src
  const edits = Math.floor(rand() * 4)
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (s.length + 1))
    switch (Math.floor(rand() * 4)) {
      case 0: s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 4)); break
      case 1: s = s.slice(0, at) + pick(JUNK) + s.slice(at); break
      case 2: { const from = Math.floor(rand() * s.length); s = s.slice(0, at) + s.slice(from, from + Math.floor(rand() * 12)) + s.slice(at); break }
      default: s = s.slice(0, at) + s.slice(at).replace(/[a-z]/, () => pick(['x', 'q', '_', '1'])); break
    }
  }
  return s
}

const PARAMS = { minAge: 18, ids: [1, 2, null], name: 'x', n: null, obj: { x: 1 }, v: 3 }

function compileText(text: string): void {
  const parsed = parseLambda(text)
  const s = spec('Person', [filter(() => 0, PARAMS)])
  const ir = translateQuery(s, schema, [{ parsed, params: PARAMS }])
  const lowered = lowerQuery(ir)
  for (const flavor of Object.values(FLAVORS)) render(lowered.stmt, flavor)
}

describe(`fuzz (seed ${SEED}, ${CASES} cases)`, () => {
  it('every source compiles or throws TranslationError', () => {
    process.stdout.write(`# fuzz seed ${SEED}\n`)
    let compiled = 0
    let refused = 0
    const t0 = performance.now()
    for (let i = 0; i < CASES; i++) {
      const base = lambda()
      const text = chance(0.5) ? mutate(base) : base
      const t = performance.now()
      try {
        compileText(text)
        compiled++
      } catch (e) {
        if (!(e instanceof TranslationError)) assert.fail(`case ${i} (seed ${SEED}) threw ${String(e)}\n${text}\n${(e as Error).stack ?? ''}`)
        refused++
      }
      const ms = performance.now() - t
      assert.ok(ms < 2000, `case ${i} took ${ms.toFixed(0)} ms: ${text}`)
    }
    process.stdout.write(`# fuzz: ${compiled} compiled, ${refused} refused, ${((performance.now() - t0) / 1000).toFixed(1)} s\n`)
    assert.ok(compiled > CASES / 50, 'the generator should produce some translatable lambdas')
  })
})
