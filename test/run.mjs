// Runs every test file under test/ with node's test runner and tsx, one file at a time
// (database tests share servers). `node test/run.mjs unit` runs only the database-free layers.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const only = process.argv[2]
const unitDirs = new Set(['compiler', 'types', 'model'])
function collect(dir) {
  const out = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...collect(path))
    else if (name.endsWith('.test.ts')) out.push(path)
  }
  return out
}
let files = collect('test')
if (only === 'unit') files = files.filter((f) => unitDirs.has(f.split('/')[1]))
else if (only) files = files.filter((f) => f.includes(only))
if (files.length === 0) {
  console.error('no test files found')
  process.exit(1)
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { stdio: 'inherit' })
process.exit(result.status ?? 1)
