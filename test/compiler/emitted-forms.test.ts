/**
 * Lambdas as compilers emit them. The same source is compiled by
 * TypeScript's `transpileModule` and by esbuild (what tsx runs), for old and
 * new targets and minified: `(0, pinto_1.count)(x)`, `import_pinto.raw\`…\``,
 * down-levelled `?.` and `??` with `var _a` temps, `void 0`, `!0`. Each
 * emitted lambda must compile to exactly the SQL of the hand-written one.
 */
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import ts from 'typescript'
import { transformSync } from 'esbuild'
import * as helpers from '../../runtime/query-helpers.js'
import { compile, filter, fromSource, spec, type Fn } from './fixtures.js'

const lambdas = [
  "(c: any) => c.driver?.name === 'x'",
  "(c: any) => (c.driver?.nick ?? 'n') === 'y'",
  '(c: any) => c.driver?.age! > 3 && c.year === undefined && c.owner.active === true',
  '(c: any) => c.owner?.cars?.length > 1',
  '(c: any) => count(c.tags) > 1 && exists(c.tags) && !c.owner.nick',
  "(c: any) => raw`lower(${c.make})` === 'vw'",
  "(c: any) => c.tags.some((t: any) => t.name?.startsWith('r') ?? false)",
  '(c: any, $: any) => c.price > $.min && sum(c.owner.cars.map((o: any) => o.price)) > 0',
]
const source = `import { count, sum, raw, exists } from 'pinto'\nexport const lambdas = [\n${lambdas.join(',\n')},\n]\n`

const dir = mkdtempSync(join(tmpdir(), 'pinto-emit-'))
const require = createRequire(import.meta.url)

/** Load emitted CommonJS with `pinto` resolved to the real helpers. */
function load(name: string, code: string): Fn[] {
  const file = join(dir, `${name}.cjs`)
  writeFileSync(file, code.replaceAll('require("pinto")', `require(${JSON.stringify(join(dir, 'pinto.cjs'))})`))
  return (require(file) as { lambdas: Fn[] }).lambdas
}
writeFileSync(join(dir, 'pinto.cjs'), 'module.exports = globalThis.__pintoHelpers')
;(globalThis as Record<string, unknown>).__pintoHelpers = helpers

const forms: Record<string, string> = {
  'tsc ES2017': ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2017 } }).outputText,
  'tsc ES2022': ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText,
  'esbuild es2017': transformSync(source, { loader: 'ts', format: 'cjs', target: 'es2017' }).code,
  'esbuild es2017 minified': transformSync(source, { loader: 'ts', format: 'cjs', target: 'es2017', minify: true }).code,
  'esbuild esnext': transformSync(source, { loader: 'ts', format: 'cjs', target: 'esnext' }).code,
}

const plain = (src: string): string => src.replace(/: any/g, '').replace(/!(?= >)/, '')

/** The SQL with table aliases renamed in order of appearance (minifiers rename lambda parameters). */
function canonical(sql: string): string {
  const aliases = [...sql.matchAll(/"\w+" "(\w+)"/g)].map((m) => m[1]!)
  let out = sql
  aliases.forEach((a, i) => {
    out = out.replaceAll(`"${a}"`, `"t${i}"`)
  })
  return out
}
const params = { min: 1 }

describe('compiler-emitted lambdas', () => {
  const expected = lambdas.map((src) => compile(spec('Car', [filter(fromSource(plain(src)), params)])).sql)
  for (const [name, code] of Object.entries(forms)) {
    it(`${name}: every lambda gives the SQL of its source form`, () => {
      const fns = load(name.replaceAll(' ', '-'), code)
      assert.equal(fns.length, lambdas.length)
      fns.forEach((fn, i) => {
        const sql = compile(spec('Car', [filter(fn, params)])).sql
        assert.equal(canonical(sql), canonical(expected[i]!), `${name} #${i}: ${fn.toString()}`)
      })
    })
  }
  it('the emitted texts use the forms this test is about', () => {
    assert.match(forms['tsc ES2017']!, /\(0, pinto_1\.count\)/)
    assert.match(forms['tsc ES2017']!, /_a === void 0 \? void 0 : _a\.name/)
    assert.match(forms['tsc ES2017']!, /_b !== void 0 \? _b : 'n'/)
    assert.match(forms['esbuild es2017']!, /\(0, import_pinto\.count\)/)
    assert.match(forms['esbuild es2017']!, /import_pinto\.raw`/)
    assert.match(forms['esbuild es2017']!, /== null \? void 0 :/)
    assert.match(forms['esbuild es2017 minified']!, /!0/)
  })
})
