// The package as another project sees it: `npm run build` output, imported as
// 'pinto' from a separate project whose TypeScript is compiled by tsc (so the
// lambdas pinto parses are tsc's emitted code, not the source), then run.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, mkdirSync, symlinkSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..', '..')
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' })
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`)
  return r.stdout
}

const app = `
import { Database, dbSession, required, optional, set, Int, count, desc, TranslationError } from 'pinto'

const db = new Database({ provider: 'sqlite', filename: ':memory:' })
const { Person, Car } = db.define({
  Person: { name: required(String), age: required(Int), email: optional(String), cars: set('Car') },
  Car: { make: required(String), owner: required('Person') },
})
type Person = InstanceType<typeof Person>

await db.generateMapping({ createTables: true })
const minAge = 18
const out = await dbSession.run(async () => {
  const ann: Person = new Person({ name: 'Ann', age: 31 })
  new Car({ make: 'Saab', owner: ann })
  new Person({ name: 'Kid', age: 9 })
  const adults = await Person.select((p, $) => p.age >= $.minAge, { minAge }).map((p) => p.name)
  const withCars = await Person.select((p) => count(p.cars) > 0 && p.email === null).orderBy((p) => desc(p.age)).map((p) => ({ n: p.name, c: p.cars.length }))
  let error = ''
  try { Person.select((p) => p.age > minAge).getSql() } catch (e) { error = e instanceof TranslationError ? e.message.split('\\n')[0]! : 'other' }
  return { adults, withCars, error }
})
console.log(JSON.stringify(out))
await db.disconnect()
`

test('built package: imported as pinto by another project, typed, compiled by tsc, runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinto-consumer-'))
  try {
    const pkgDir = join(dir, 'node_modules', 'pinto')
    mkdirSync(pkgDir, { recursive: true })
    run(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(pkgDir, 'dist')], root)
    assert.ok(existsSync(join(pkgDir, 'dist', 'runtime', 'index.d.ts')))
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> }
    for (const entry of Object.values(pkg.exports)) delete entry.source
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify(pkg))
    symlinkSync(join(root, 'node_modules'), join(pkgDir, 'node_modules'))
    for (const dep of ['@types', 'typescript']) symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep))
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }))
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'out', types: ['node'], skipLibCheck: false },
      include: ['app.ts'],
    }))
    writeFileSync(join(dir, 'app.ts'), app)
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir)
    const emitted = readFileSync(join(dir, 'out', 'app.js'), 'utf8')
    assert.match(emitted, /from 'pinto'/)
    const result = JSON.parse(run(process.execPath, [join(dir, 'out', 'app.js')], dir)) as { adults: string[]; withCars: unknown; error: string }
    assert.deepEqual(result.adults, ['Ann'])
    assert.deepEqual(result.withCars, [{ n: 'Ann', c: 1 }])
    assert.match(result.error, /Unknown name 'minAge'/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
