/**
 * Lambdas are parsed, never executed: no source file of the library may
 * evaluate code (`eval(`, `new Function`, the `vm` module).
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'

const root = new URL('../../', import.meta.url).pathname

function files(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...files(path))
    else if (/\.(ts|js|mjs|cjs)$/.test(name)) out.push(path)
  }
  return out
}

describe('no code evaluation in the library', () => {
  const sources = ['compiler', 'runtime', 'dialects'].flatMap((d) => files(join(root, d)))
  it('finds the library sources', () => assert.ok(sources.length > 20))
  for (const [what, pattern] of [
    ['eval(', /\beval\s*\(/],
    ['new Function', /\bnew\s+Function\b/],
    ['the vm module', /(?:from\s+|import\(\s*|require\(\s*)['"](?:node:)?vm['"]/],
  ] as const) {
    it(`no file uses ${what}`, () => {
      const offenders = sources.filter((f) => pattern.test(readFileSync(f, 'utf8')))
      assert.deepEqual(offenders.map((f) => f.slice(root.length)), [])
    })
  }
})
