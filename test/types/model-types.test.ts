// Type-level tests: the fixture compiles cleanly (every expected error is
// present, every type equality holds), and without its expect-error markers
// it fails exactly where a user's mistake should fail.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const here = dirname(fileURLToPath(import.meta.url))
const fixture = join(here, 'fixtures', 'model-types.ts')

function diagnostics(file: string): string[] {
  const config = ts.readConfigFile(join(here, '..', '..', 'tsconfig.json'), ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, join(here, '..', '..'))
  const program = ts.createProgram([file], { ...parsed.options, noEmit: true })
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0)
      return `${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
    })
}

test('the typed model compiles: inferred attribute types hold and every marked mistake is an error', () => {
  assert.deepEqual(diagnostics(fixture), [])
})

test('without the markers, each mistake fails to compile where expected', () => {
  const source = readFileSync(fixture, 'utf8').replaceAll('// @ts-expect-error', '// was expected')
  const dir = mkdtempSync(join(here, 'fixtures', 'tmp-'))
  const file = join(dir, 'unmarked.ts')
  try {
    writeFileSync(file, source.replaceAll("'../../../runtime/index.js'", "'../../../../runtime/index.js'"))
    const errors = diagnostics(file).join('\n')
    assert.match(errors, /Property 'agee' does not exist on type/)
    assert.match(errors, /Type 'string' is not assignable to type 'number'/)
    assert.match(errors, /Property 'age' is missing/)
    assert.match(errors, /'nickname' does not exist in type/)
    assert.match(errors, /Cannot assign to 'label' because it is a read-only property/)
    assert.match(errors, /Type 'null' is not assignable to type 'number'/)
    assert.match(errors, /'"broken"' is not assignable to type '"new" \| "used"/)
    assert.equal(diagnostics(file).length, 8)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
