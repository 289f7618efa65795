import { it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Database, dbSession, required, Int, sql } from '../../runtime/index.js'
import type { BindOptions } from '../../dialects/dialect.js'
import { eachTarget } from '../support/databases.js'
import { resetSchema, sharedOptions } from './helpers.js'

const BIN = resolve('runtime/cli/pinto.mjs')
const RUNTIME = pathToFileURL(resolve('runtime/index.ts')).href

/** A config module exporting a bound db with the given model source; with `logTo`, every statement it sends is appended to that file. */
function writeConfig(dir: string, file: string, options: BindOptions, model: string, logTo?: string): string {
  const path = join(dir, file)
  writeFileSync(path, `import { Database, required, optional, Int } from '${RUNTIME}'
${logTo === undefined ? '' : "import { appendFileSync } from 'node:fs'\n"}export const db = new Database(${JSON.stringify(options)})
db.define(${model})
${logTo === undefined ? '' : `db.on('query', (e) => appendFileSync(${JSON.stringify(logTo)}, JSON.stringify(e.sql) + '\\n'))\n`}`)
  return path
}

/** The statements a config with `logTo` logged, emptying the log. */
function takeLog(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as string)
  writeFileSync(path, '')
  return lines
}

function pinto(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

it('bad usage exits 3 with the usage text', () => {
  const r = pinto('migrate', 'frobnicate')
  assert.equal(r.status, 3)
  assert.match(r.stderr, /usage: pinto migrate plan\|apply --config/)
  assert.equal(pinto('migrate', 'plan').status, 3)
})

eachTarget('cli', (target) => {
  const options = sharedOptions(target, 'cli')
  it('plan prints a summary and the SQL; apply runs it; data loss exits 2; --sql prints only SQL', async () => {
    await resetSchema(options)
    const dir = mkdtempSync(join(tmpdir(), 'pinto-cli-'))
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }')
    const v1 = writeConfig(dir, 'v1.ts', options, "{ Person: { name: required(String, { maxLen: 40 }), age: required(Int) } }")
    const plan = pinto('migrate', 'plan', '--config', v1)
    assert.equal(plan.status, 0, plan.stderr)
    assert.match(plan.stdout, /1 change\(s\) in 1 table\(s\)/)
    assert.match(plan.stdout, /person\n {2}\+ create table: columns id, name, age/)
    assert.match(plan.stdout, /SQL:\n[\s\S]*CREATE TABLE .person./)
    assert.doesNotMatch(plan.stdout, /\u001b\[/, 'no colour when not a TTY')
    const applied = pinto('migrate', 'apply', '--config', v1, '--name', `cli-v1-${process.pid}`)
    assert.equal(applied.status, 0, applied.stderr)
    assert.match(applied.stdout, /Applied migration 'cli-v1-\d+'/)
    assert.match(pinto('migrate', 'apply', '--config', v1).stdout, /Nothing to do/)
    const db = new Database(options)
    db.define({ Person: { name: required(String, { maxLen: 40 }), age: required(Int) } })
    await dbSession.run(() => db.execute(sql`INSERT INTO person (name, age) VALUES (${'Ann'}, ${3})`))
    await db.disconnect()
    const v2 = writeConfig(dir, 'v2.ts', options, "{ Person: { name: required(String, { maxLen: 40 }), nick: optional(String) } }")
    const sqlOnly = pinto('migrate', 'plan', '--sql', '--config', v2)
    assert.equal(sqlOnly.status, 0, sqlOnly.stderr)
    assert.doesNotMatch(sqlOnly.stdout, /change\(s\)|SQL:/)
    assert.match(sqlOnly.stdout, /;\n/)
    const refused = pinto('migrate', 'apply', '--config', v2, '--name', `cli-v2-${process.pid}`)
    assert.equal(refused.status, 2, refused.stderr)
    assert.match(refused.stderr, /column 'person\.age': 1 row\(s\) hold data/)
    const forced = pinto('migrate', 'apply', '--config', v2, '--name', `cli-v2-${process.pid}`, '--allow-data-loss')
    assert.equal(forced.status, 0, forced.stderr)
    const broken = writeConfig(dir, 'broken.ts', options, "{ Person: { name: required('Nope') } }")
    assert.equal(pinto('migrate', 'plan', '--config', broken).status, 1)
  })

  it('apply reads the schema once: the plan it prints is the plan it runs', async () => {
    await resetSchema(options)
    const dir = mkdtempSync(join(tmpdir(), 'pinto-cli-'))
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }')
    const log = join(dir, 'statements.log')
    writeFileSync(log, '')
    const config = writeConfig(dir, 'v1.ts', options, "{ Person: { name: required(String, { maxLen: 40 }), age: required(Int) } }", log)
    const plan = pinto('migrate', 'plan', '--config', config)
    assert.equal(plan.status, 0, plan.stderr)
    const planned = takeLog(log)
    assert.ok(planned.length > 0, 'the config logs statements')
    const schemaRead = planned[0]!
    const applied = pinto('migrate', 'apply', '--config', config, '--name', `cli-once-${process.pid}`)
    assert.equal(applied.status, 0, applied.stderr)
    assert.match(applied.stdout, /1 change\(s\) in 1 table\(s\)[\s\S]*Applied migration 'cli-once-\d+' \(\d+ statement\(s\)\)\./)
    const ran = takeLog(log)
    assert.equal(ran.filter((s) => s === schemaRead).length, 1, `the schema is read once by apply:\n${ran.join('\n')}`)
    for (const s of planned) assert.ok(ran.includes(s), `apply sends what plan sent: ${s}`)
  })

  it('a change that cannot run is refused with exit code 2', async () => {
    await resetSchema(options)
    const dir = mkdtempSync(join(tmpdir(), 'pinto-cli-'))
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }')
    const v1 = writeConfig(dir, 'v1.ts', options, "{ Person: { name: required(String, { maxLen: 40 }) } }")
    assert.equal(pinto('migrate', 'apply', '--config', v1, '--name', `cli-b1-${process.pid}`).status, 0)
    const db = new Database(options)
    db.define({ Person: { name: required(String, { maxLen: 40 }) } })
    await dbSession.run(() => db.execute(sql`INSERT INTO person (name) VALUES (${'Ann'})`))
    await db.disconnect()
    const v2 = writeConfig(dir, 'v2.ts', options, "{ Person: { name: required(String, { maxLen: 40 }), score: required(Int) } }")
    const blocked = pinto('migrate', 'apply', '--config', v2, '--name', `cli-b2-${process.pid}`, '--allow-data-loss')
    assert.equal(blocked.status, 2, blocked.stderr)
    assert.match(blocked.stderr, /^pinto: migration 'cli-b2-\d+' cannot run:\n {2}- column 'person\.score' is required and has no default, and table 'person' has 1 row\(s\)/)
    assert.match(blocked.stdout, /Cannot run:\n {2}column 'person\.score' is required/)
  })
})
