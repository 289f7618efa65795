/**
 * `pinto migrate plan|apply --config ./db.ts [--name n] [--sql]
 * [--allow-data-loss] [--rename table.old=new]`. The config module exports
 * the bound Database as its default export or as `db`. Exit codes: 0 done or
 * nothing to do, 1 error, 2 refused (data loss or a change that cannot
 * run: a `MigrationRefused` of any copy of pinto, see `exitCodeOf`), 3 bad
 * usage. `apply` plans once: the plan it prints is the plan it runs.
 * `runtime/cli/pinto.mjs` loads this file (through tsx in a checkout, from
 * dist once built).
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { Database } from '../database.js'
import { applyPlan } from '../migrations/migrations.js'
import { exitCodeOf } from './exit-code.js'
import { colours, formatChanges, formatSql, noColours } from './format.js'

const USAGE = `usage: pinto migrate plan|apply --config <file> [--name <name>] [--sql] [--allow-data-loss] [--rename table.old=new]

  plan    show what would change: a summary per table, then the SQL
  apply   run it and record it in pinto_migrations (--name, default: a timestamp)

  --config           a module exporting the bound Database (default export or 'db');
                     a .ts config needs tsx installed, a .js one runs with node alone
  --sql              print only the SQL
  --allow-data-loss  run changes that drop or narrow columns and tables holding data
  --rename t.a=b     column a of table t is now called b (repeatable)

exit codes: 0 ok or nothing to do, 1 error, 2 refused (data loss), 3 bad usage`

class Usage extends Error {}

interface Out {
  log(line: string): void
  error(line: string): void
  readonly colour: boolean
}

function parse(argv: readonly string[]): { command: 'plan' | 'apply'; config: string; name: string | undefined; sqlOnly: boolean; allowDataLoss: boolean; renames: Record<string, string> } {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv], allowPositionals: true, strict: true,
      options: { config: { type: 'string' }, name: { type: 'string' }, sql: { type: 'boolean' }, 'allow-data-loss': { type: 'boolean' }, rename: { type: 'string', multiple: true }, help: { type: 'boolean' } },
    })
  } catch (error) {
    throw new Usage((error as Error).message)
  }
  const [group, command, ...rest] = parsed.positionals
  if (parsed.values.help === true) throw new Usage('')
  if (group !== 'migrate' || (command !== 'plan' && command !== 'apply') || rest.length > 0) throw new Usage(`unknown command: ${parsed.positionals.join(' ') || '(none)'}`)
  if (parsed.values.config === undefined) throw new Usage('--config <file> is required')
  const renames: Record<string, string> = {}
  for (const r of parsed.values.rename ?? []) {
    const m = /^([^=]+\.[^=.]+)=([^=]+)$/.exec(r)
    if (m === null) throw new Usage(`--rename takes table.oldColumn=newColumn, not '${r}'`)
    renames[m[1]!] = m[2]!
  }
  return { command, config: parsed.values.config, name: parsed.values.name, sqlOnly: parsed.values.sql === true, allowDataLoss: parsed.values['allow-data-loss'] === true, renames }
}

async function loadDatabase(config: string): Promise<Database> {
  const mod = (await import(pathToFileURL(resolve(config)).href)) as { default?: unknown; db?: unknown }
  const db = (mod.db ?? mod.default) as Database | undefined
  if (db === undefined || db === null || typeof (db as { migrations?: unknown }).migrations !== 'object') {
    throw new Usage(`${config} must export the bound Database as its default export or as 'db'`)
  }
  return db
}

async function run(argv: readonly string[], out: Out): Promise<number> {
  const args = parse(argv)
  const paint = out.colour ? colours : noColours
  const db = await loadDatabase(args.config)
  try {
    const plan = await db.migrations.plan({ renames: args.renames })
    if (args.sqlOnly) {
      for (const line of formatSql(plan.sql)) out.log(line)
      if (args.command === 'plan') return 0
    } else if (plan.changes.length === 0) {
      out.log('Nothing to do: the database matches the model.')
      return 0
    } else {
      out.log(paint.bold(`${plan.changes.length} change(s) in ${new Set(plan.changes.map((c) => c.table)).size} table(s) on ${db.dialect.name}:`))
      out.log('')
      for (const line of formatChanges(plan, paint)) out.log(line)
      out.log('')
      out.log(paint.dim('SQL:'))
      for (const line of formatSql(plan.sql)) out.log(line)
      out.log('')
    }
    if (args.command === 'plan') return 0
    if (plan.changes.length === 0) return 0
    const name = args.name ?? `migration-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}`
    const result = await applyPlan(db, plan, { name, allowDataLoss: args.allowDataLoss })
    if (!args.sqlOnly) out.log(paint.green(result.applied ? `Applied migration '${name}' (${result.statements.length} statement(s)).` : 'Nothing to do: the database matches the model.'))
    return 0
  } finally {
    await db.disconnect()
  }
}

/** Run the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], out?: Out): Promise<number> {
  const io: Out = out ?? {
    log: (line) => process.stdout.write(`${line}\n`),
    error: (line) => process.stderr.write(`${line}\n`),
    colour: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
  }
  try {
    return await run(argv, io)
  } catch (error) {
    if (error instanceof Usage) {
      io.error(error.message === '' ? USAGE : `pinto: ${error.message}\n\n${USAGE}`)
      return error.message === '' ? 0 : 3
    }
    io.error(`pinto: ${(error as Error).message}`)
    return exitCodeOf(error)
  }
}
