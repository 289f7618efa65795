#!/usr/bin/env node
// pinto's benchmark. `npm run bench` (root) or `node bench/run.mjs [--quick]
// [--db=sqlite,postgres,mysql] [--peers=raw,pinto,…] [--workloads=W1,W2,…]` or `--render`.
// Installs bench/ dependencies if missing, seeds each database once (raw
// driver, untimed), then runs every peer × workload × database in a fresh
// process (--quick: one process per peer × database, fewer operations), and
// writes results/latest.json, results/latest.md, the table in bench/README.md and the summary in the
// root README.md (a quick or partial run: results/partial.*, nothing else).
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const BENCH = path.dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const opt = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]?.split(',')
const quick = args.includes('--quick')
const DB_LABEL = { sqlite: 'SQLite', postgres: 'PostgreSQL', mysql: 'MariaDB' }

// ---- --render: the reports again from results/latest.json, no run (after a change to their format) ----
if (args.includes('--render')) {
  writeReports(JSON.parse(fs.readFileSync(path.join(BENCH, 'results', 'latest.json'), 'utf8')), 'latest', true)
  console.log('rendered results/latest.md, bench/README.md and the README summary from results/latest.json')
  process.exit(0)
}

// ---- dependencies ----
if (!fs.existsSync(path.join(BENCH, 'node_modules', '.package-lock.json'))) {
  console.log('installing bench dependencies (npm --prefix bench ci) …')
  const r = spawnSync('npm', ['--prefix', BENCH, 'ci', '--no-audit', '--no-fund'], { stdio: 'inherit' })
  if (r.status !== 0) { console.error('npm ci failed in bench/'); process.exit(1) }
}

const { seed, cleanup } = await import('./lib/seed.mjs')
const { WORKLOADS } = await import('./lib/workloads.mjs')

export const PEERS = ['raw', 'pinto', 'drizzle', 'kysely', 'typeorm', 'mikro-orm', 'sequelize', 'prisma']
/** Peers that are not run at all, with the reason (listed in the results). */
export const ABSENT = {}
const DBS = opt('db') ?? ['sqlite', 'postgres', 'mysql']
const peers = opt('peers') ?? PEERS
const workloads = opt('workloads') ?? Object.keys(WORKLOADS)
const started = Date.now()
/** Fresh processes per peer × workload × database (full run); the cell is their median. */
const PROCS = quick ? 1 : Number(opt('procs')?.[0] ?? 3)

// ---- pinto, built as users run it (tsc output in dist/) ----
/** Read when the run starts, which is when dist/ is built: a commit made during a long run does not change it. */
const PINTO_BUILD = peers.includes('pinto') ? gitBuild() : null
if (peers.includes('pinto')) {
  console.log('building pinto (npm run build) …')
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: path.resolve(BENCH, '..'), stdio: 'inherit' })
  if (r.status !== 0) { console.error('npm run build failed: pinto cannot be measured'); process.exit(1) }
}

// ---- Prisma: generate its client (one per database) and compile it to JavaScript ----
if (peers.includes('prisma')) for (const db of DBS) generatePrisma(db)

/**
 * `prisma generate --schema prisma/<provider>.prisma` into .prisma/<db>/ (TypeScript, the `prisma-client`
 * generator), then tsc on it into .prisma/<db>/js/, which peers/prisma.mjs imports: measured as compiled
 * JavaScript, like pinto's dist/ (not through tsx). On failure it writes .prisma/<db>.error, which the peer
 * reports as `setup failed` for each cell, and the rest of the bench runs.
 */
function generatePrisma(db) {
  const out = path.join(BENCH, '.prisma', db)
  const errFile = path.join(BENCH, '.prisma', `${db}.error`)
  fs.rmSync(out, { recursive: true, force: true })
  fs.rmSync(errFile, { force: true })
  const fail = (step, r) => {
    const msg = `${step} failed: ${lastLines(r.error?.message ?? `${r.stderr ?? ''}\n${r.stdout ?? ''}`)}`
    console.log(`prisma (${db}): ${msg}`)
    fs.mkdirSync(path.dirname(errFile), { recursive: true })
    fs.writeFileSync(errFile, msg + '\n')
  }
  const schema = path.join(BENCH, 'prisma', `${{ sqlite: 'sqlite', postgres: 'postgresql', mysql: 'mysql' }[db]}.prisma`)
  console.log(`generating the Prisma client for ${db} (prisma generate, tsc) …`)
  // `generate` never runs the schema engine, but the CLI first makes sure it has one and otherwise downloads it
  // from binaries.prisma.sh (unreachable here: only the npm registry is); any existing file satisfies that check.
  const gen = spawnSync(path.join(BENCH, 'node_modules', '.bin', 'prisma'), ['generate', '--schema', schema], {
    cwd: BENCH, encoding: 'utf8', env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  })
  if (gen.status !== 0 || !fs.existsSync(path.join(out, 'client.ts'))) return fail('prisma generate', gen)
  // The generated client is TypeScript importing './x.ts': tsc rewrites those to .js (no type check: it is generated code).
  const tsc = [path.resolve(BENCH, '..', 'node_modules', '.bin', 'tsc'), path.join(BENCH, 'node_modules', '.bin', 'tsc')].find((p) => fs.existsSync(p))
  if (!tsc) return fail('tsc', { error: new Error('no TypeScript compiler: run npm install at the repo root') })
  const c = spawnSync(tsc, [path.join(out, 'client.ts'), '--outDir', path.join(out, 'js'), '--rootDir', out, '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--target', 'es2022', '--rewriteRelativeImportExtensions', '--noCheck', '--skipLibCheck'], { cwd: BENCH, encoding: 'utf8' })
  if (c.status !== 0 || !fs.existsSync(path.join(out, 'js', 'client.js'))) return fail('tsc on the generated client', c)
}

function runChild(peer, db, wl) {
  const timeoutMs = quick ? 90_000 : 240_000
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(BENCH, 'lib', 'child.mjs'), peer, db, wl.join(','), quick ? 'quick' : 'full'], { cwd: BENCH, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => { out += d })
    child.stderr.on('data', (d) => { err += d })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      // a row is a result only with a number; anything else is an error, with whatever text it brought
      const rows = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l))
        .map((r) => (r.error || typeof r.opsPerSec === 'number' ? r : { ...r, error: 'no result and no error text' }))
      for (const w of wl) {
        if (!rows.some((r) => r.workload === w || r.workload.startsWith(`${w} `))) {
          const why = signal ? `killed after ${timeoutMs / 1000} s (${signal})` : `process exited ${code}: ${lastLines(err)}`
          rows.push({ peer, db, workload: w, error: why })
        }
      }
      resolve(rows)
    })
  })
}

const results = []
const dbInfo = {}
/** Raw's fastest process over its slowest, above which a workload is re-run (see the rounds below). */
const NOISE_LIMIT = 1.2
const EXTRA_ROUNDS = 1
/** Per database, the workloads that got extra rounds, and how many. */
const extraRounds = {}
for (const db of DBS) {
  console.log(`\n== ${DB_LABEL[db]} ==`)
  try {
    await seed(db, console.log)
    dbInfo[db] = await serverVersion(db)
  } catch (error) {
    const reason = `database unreachable or seeding failed: ${String(error?.message ?? error).split('\n')[0]}`
    console.log(`  ${reason}`)
    for (const peer of peers) for (const w of workloads) results.push({ peer, db, workload: w, error: reason })
    continue
  }
  // Rounds of fresh processes, every peer in each round, so that a slow spell of the machine (or a process that
  // lands badly on the cores next to the database server's) hits all peers alike; a cell is the median process.
  const byCell = new Map()
  const runRound = async (label, wls) => {
    for (const peer of peers) {
      const wl = wls.filter((w) => w !== 'W9' || peer === 'pinto')
      const groups = quick ? [wl] : wl.map((w) => [w])
      for (const g of groups) {
        if (g.length === 0) continue
        const rows = await runChild(peer, db, g)
        if (g.includes('W5') || g.includes('W6')) await cleanup(db).catch((error) => console.log(`  cleanup after ${peer} ${g.join(',')} failed: ${error?.message ?? error}`))
        for (const r of rows) {
          const key = `${peer}|${r.workload}`
          if (!byCell.has(key)) byCell.set(key, [])
          byCell.get(key).push(r)
          const what = r.error ? `ERROR ${r.error}` : `${fmtOps(r.opsPerSec)} ${r.unit}/s  (n=${r.n}, median of 5: ${r.medianMs} ms)`
          console.log(`  ${label}${peer.padEnd(10)} ${r.workload.padEnd(4)} ${what}`)
        }
      }
    }
  }
  for (let round = 1; round <= PROCS; round++) await runRound(PROCS > 1 ? `[${round}/${PROCS}] ` : '', workloads)
  // The raw driver does the same work in every process, so when its processes disagree by more than NOISE_LIMIT
  // the machine changed speed during the run: that workload gets another round of every peer (at most
  // EXTRA_ROUNDS), and the report names any workload still over the limit.
  for (let extra = 1; PROCS > 1 && extra <= EXTRA_ROUNDS; extra++) {
    const noisy = workloads.filter((w) => spreadOf((byCell.get(`raw|${w}`) ?? []).filter((r) => !r.error).map((r) => r.opsPerSec)) > NOISE_LIMIT)
    if (noisy.length === 0) break
    console.log(`  raw's processes differ by more than ${Math.round((NOISE_LIMIT - 1) * 100)} % on ${noisy.join(', ')}: another round of every peer on ${noisy.length > 1 ? 'them' : 'it'}`)
    for (const w of noisy) (extraRounds[db] ??= {})[w] = extra
    await runRound(`[extra ${extra}] `, noisy)
  }
  for (const rows of byCell.values()) results.push(medianProcess(rows))
}

/** Fastest over slowest of a cell's processes, given their ops/s (1 when fewer than two ran). */
function spreadOf(ops) {
  return ops.length < 2 ? 1 : Math.max(...ops) / Math.min(...ops)
}

/** The process whose ops/s is the median of a cell's processes (or the error, when none ran). */
function medianProcess(rows) {
  const ok = rows.filter((r) => !r.error).sort((a, b) => a.opsPerSec - b.opsPerSec)
  if (ok.length === 0) return rows[0]
  const mid = ok[(ok.length - 1) >> 1]
  return ok.length === 1 ? mid : { ...mid, processOpsPerSec: ok.map((r) => +r.opsPerSec.toPrecision(6)) }
}

// ---- report ----
const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryGb: +(os.totalmem() / 2 ** 30).toFixed(1),
  node: process.version, platform: `${os.type()} ${os.release()} ${os.arch()}`, date: new Date().toISOString(),
  pintoBuild: PINTO_BUILD, mode: quick ? 'quick' : 'full', processes: PROCS, extraRounds, noiseLimit: NOISE_LIMIT, loadAvgAtEnd: os.loadavg().map((x) => +x.toFixed(2)), durationS: Math.round((Date.now() - started) / 1000), databases: dbInfo,
}
const versions = {}
for (const r of results) if (r.version && !versions[r.peer]) versions[r.peer] = r.version
for (const r of results) {
  if (r.error || r.opsPerSec == null) continue
  const raw = results.find((x) => x.peer === 'raw' && x.db === r.db && x.workload === r.workload && !x.error)
  if (raw) r.ratioToRaw = +(raw.opsPerSec / r.opsPerSec).toPrecision(4)
}
fs.mkdirSync(path.join(BENCH, 'results'), { recursive: true })
const json = { machine, versions, absent: ABSENT, workloads: WORKLOADS, results }
// Only a full run (every database, peer and workload, the default number of processes) is the published result;
// a subset or a quick run goes to results/partial.* and leaves latest.* and the README tables alone.
const published = !quick && !opt('db') && !opt('peers') && !opt('workloads') && !opt('procs')
const base = published ? 'latest' : 'partial'
fs.writeFileSync(path.join(BENCH, 'results', `${base}.json`), JSON.stringify(json, null, 2) + '\n')
writeReports(json, base, published)
console.log(`\nwrote results/${base}.json and results/${base}.md in ${machine.durationS} s`)

/** The commit pinto was built from, marked when the work tree had uncommitted changes (null outside git). */
function gitBuild() {
  const git = (...a) => spawnSync('git', a, { cwd: path.resolve(BENCH, '..'), encoding: 'utf8' })
  const head = git('rev-parse', '--short', 'HEAD')
  if (head.status !== 0) return null
  const dirty = git('status', '--porcelain', '--untracked-files=no').stdout.trim() !== ''
  return head.stdout.trim() + (dirty ? ' with uncommitted changes' : '')
}

/** A failing command's last three non-empty lines of output, on one line (at most 300 characters). */
function lastLines(text) {
  return text.trim().split('\n').filter(Boolean).slice(-3).join(' | ').slice(0, 300)
}

/** results/<base>.md from a run's JSON; a published run also goes into bench/README.md and the root README's summary. */
function writeReports(json, base, published) {
  const md = renderMarkdown(json)
  fs.writeFileSync(path.join(BENCH, 'results', `${base}.md`), md)
  if (!published) return
  replaceBetween(path.join(BENCH, 'README.md'), 'results', md.replace(/^# .*\n/, ''))
  replaceBetween(path.resolve(BENCH, '..', 'README.md'), 'bench-summary', renderSummary(json))
}

/** Replace what lies between `<!-- name:start -->` and `<!-- name:end -->` in `file` (left alone without them). */
function replaceBetween(file, name, body) {
  if (!fs.existsSync(file)) return
  const text = fs.readFileSync(file, 'utf8')
  const start = `<!-- ${name}:start -->`
  const a = text.indexOf(start)
  const b = text.indexOf(`<!-- ${name}:end -->`)
  if (a >= 0 && b > a) fs.writeFileSync(file, `${text.slice(0, a + start.length)}\n\n${body.trim()}\n\n${text.slice(b)}`)
}

/** Raw's per-process ops/s of a workload when they differ by more than the run's noise limit, else null. */
function noisyRaw({ machine, results }, db, w) {
  const ops = results.find((r) => r.db === db && r.peer === 'raw' && r.workload === w)?.processOpsPerSec ?? []
  return spreadOf(ops) > machine.noiseLimit ? ops : null
}

/** The fastest ORM's cell (not raw) of a database × workload row, or undefined when none ran. */
function fastestOrm(cells) {
  return cells.filter((c) => c && c.peer !== 'raw' && !c.error && c.opsPerSec).sort((a, b) => b.opsPerSec - a.opsPerSec)[0]
}

function fmtRatio(x) {
  return `${x >= 0.1 ? x.toFixed(2) : x.toPrecision(2)}×`
}

/** The README's summary: the run in one line, then per workload pinto's ratio to raw and the best other ORM's. */
function renderSummary(json) {
  const { machine, workloads, results } = json
  const dbs = Object.keys(DB_LABEL).filter((db) => results.some((r) => r.db === db))
  const L = [`Full run of ${machine.date.slice(0, 10)}${machine.pintoBuild ? `, pinto built from commit ${machine.pintoBuild}` : ''}: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}; ${dbs.map((db) => `${DB_LABEL[db]} ${String(machine.databases[db] ?? '').split(' ')[0]}`).join(', ')}.`, '']
  L.push(`| workload | ${dbs.map((db) => `${DB_LABEL[db]}: pinto | best peer`).join(' | ')} |`, `|---|${dbs.map(() => '---:|---:').join('|')}|`)
  let noisy = false
  for (const w of Object.keys(workloads).filter((x) => x !== 'W9')) {
    const cells = dbs.flatMap((db) => {
      const row = results.filter((r) => r.db === db && r.workload === w)
      const pinto = row.find((r) => r.peer === 'pinto' && !r.error && r.ratioToRaw != null)
      const best = fastestOrm(row.filter((r) => r.peer !== 'pinto'))
      if (!pinto) return ['✗', best ? `${fmtRatio(best.ratioToRaw)} ${best.peer}` : '']
      const mark = noisyRaw(json, db, w) ? '¹' : ''
      noisy ||= mark !== ''
      const p = `${fmtRatio(pinto.ratioToRaw)}${mark}`
      return [fastestOrm(row) === pinto ? `**${p}**` : p, best ? `${fmtRatio(best.ratioToRaw)} ${best.peer}` : '']
    })
    L.push(`| ${w} ${workloads[w].title} | ${cells.join(' | ')} |`)
  }
  if (noisy) L.push('', `¹ The raw driver's processes differed by more than ${Math.round((machine.noiseLimit - 1) * 100)} % on that row (the machine changed speed during the run), so every peer got an extra process there; bench/README.md lists raw's figures.`)
  return L.join('\n')
}

function fmtOps(x) {
  if (x == null) return '—'
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x >= 10 ? x.toFixed(1) : x.toFixed(2)
}

function renderMarkdown({ machine, versions, absent, workloads, results }) {
  const L = []
  L.push(`# pinto benchmark — ${machine.mode} run`, '')
  L.push(`${machine.date.slice(0, 16).replace('T', ' ')} UTC · ${machine.cpu} · ${machine.cores} cores · ${machine.memoryGb} GB · Node ${machine.node} · ${machine.platform} · took ${machine.durationS} s · load average at the end ${machine.loadAvgAtEnd.join(' / ')} (other work on the machine adds noise)`, '')
  if (machine.pintoBuild) L.push(`pinto built from commit ${machine.pintoBuild}.`, '')
  L.push(`Databases: ${Object.entries(machine.databases).map(([k, v]) => `${DB_LABEL[k]} ${v}`).join(' · ')}`, '')
  L.push(`Libraries: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(' · ')}`, '')
  L.push('Each cell: operations per second (median of 5 timed runs after a warm-up in a fresh process per peer × workload × database' + (machine.mode === 'quick' ? '; quick mode: one process per peer × database, fewer operations' : `; the median of ${machine.processes} such processes, run in rounds over all peers`) + '), and in parentheses the time relative to the raw driver (1.00× = as fast as raw, 2.00× = takes twice as long). **Bold**: fastest ORM on that row.', '')
  const wls = Object.keys(workloads).filter((w) => w !== 'W9')
  for (const db of Object.keys(DB_LABEL)) {
    const rows = results.filter((r) => r.db === db)
    if (rows.length === 0) continue
    const ps = [...new Set(rows.map((r) => r.peer))]
    L.push(`## ${DB_LABEL[db]}`, '')
    L.push(`| workload (unit) | ${ps.join(' | ')} |`, `|---|${ps.map(() => '---:').join('|')}|`)
    for (const w of wls) {
      const cells = ps.map((p) => rows.find((r) => r.peer === p && r.workload === w))
      if (cells.every((c) => c === undefined)) continue
      const best = fastestOrm(cells)
      L.push(`| ${w} ${workloads[w].title} (${workloads[w].unit}/s) | ${cells.map((c) => {
        if (!c) return ''
        if (c.error) return '✗ (see below)'
        const s = `${fmtOps(c.opsPerSec)}${c.peer === 'raw' || c.ratioToRaw == null ? '' : ` (${fmtRatio(c.ratioToRaw)})`}`
        return c === best ? `**${s}**` : s
      }).join(' | ')} |`)
    }
    const again = Object.entries(machine.extraRounds?.[db] ?? {})
    if (again.length) L.push('', `Raw's processes differed by more than ${Math.round((machine.noiseLimit - 1) * 100)} % (the machine changed speed), so these workloads got extra rounds of every peer: ${again.map(([w, k]) => `${w} (${k})`).join(', ')}.`)
    for (const w of wls) {
      const ops = noisyRaw({ machine, results }, db, w)
      if (ops) L.push('', `**${w} is noisy**: raw's ${ops.length} processes ran ${ops.map(fmtOps).join(' / ')} ${workloads[w].unit}/s; read that row's ratios with care.`)
    }
    const w9 = rows.filter((r) => r.workload.startsWith('W9') && !r.error)
    if (w9.length) {
      L.push('', `W9 (pinto only, ${DB_LABEL[db]}):`, '', '| measurement | µs per operation | ops/s |', '|---|---:|---:|')
      for (const r of w9) L.push(`| ${r.label} | ${(1e6 / r.opsPerSec).toFixed(2)} | ${fmtOps(r.opsPerSec)} |`)
    }
    L.push('')
  }
  const errs = results.filter((r) => r.error)
  if (errs.length || Object.keys(absent).length) {
    L.push('## Peers that did not run', '')
    for (const [p, why] of Object.entries(absent)) L.push(`- **${p}** (all databases): ${why}`)
    for (const r of errs) L.push(`- **${r.peer}** ${r.workload} on ${DB_LABEL[r.db]}: ${r.error}`)
    L.push('')
  }
  return L.join('\n')
}

async function serverVersion(db) {
  const { createRequire } = await import('node:module')
  const require = createRequire(import.meta.url)
  const { PG_URL, MYSQL_URL } = await import('./lib/common.mjs')
  if (db === 'sqlite') return `${require('better-sqlite3/package.json').version ? new (require('better-sqlite3'))(':memory:').prepare('select sqlite_version() v').get().v : ''}`
  if (db === 'postgres') {
    const pg = require('pg'); const c = new pg.Client({ connectionString: PG_URL }); await c.connect()
    try { return (await c.query('SHOW server_version')).rows[0].server_version } finally { await c.end() }
  }
  const mysql = require('mysql2/promise'); const c = await mysql.createConnection({ uri: MYSQL_URL })
  try { return (await c.query('SELECT VERSION() AS v'))[0][0].v } finally { await c.end() }
}
