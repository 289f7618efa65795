// One benchmark process: one peer, one database, one workload (the full run),
// or several workloads in sequence (--quick). Warm-up (a full run: at least
// 0.6 s of the workload, so every peer is measured at its steady state), then 5 timed runs;
// prints one JSON line per workload on stdout.
import { pathToFileURL } from 'node:url'
import path from 'node:path'
import { BENCH_DIR } from './common.mjs'
import { WORKLOADS, CHECKS } from './workloads.mjs'

const [peerName, db, workloadList, mode] = process.argv.slice(2)
const quick = mode === 'quick'
const RUNS = 5
/** Full runs: warm-up runs after the first, until this much time was spent (at most WARM_RUNS_MAX runs). */
const WARM_MS = 600
const WARM_RUNS_MAX = 10

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2 }
const mod = await import(pathToFileURL(path.join(BENCH_DIR, 'peers', `${peerName}.mjs`)).href)

let peer
try {
  peer = await mod.default(db)
} catch (error) {
  for (const w of workloadList.split(',')) emit({ workload: w, error: `setup failed: ${errorText(error)}` })
  process.exit(0)
}

let opCounter = 0
let runCounter = 0
const tagBase = `${process.pid}-${Date.now().toString(36)}`

/** One run of `n` operations; returns milliseconds. */
async function oneRun(w, n) {
  const fn = peer[w.toLowerCase()]
  const { cycle } = WORKLOADS[w] ?? {}
  if (w === 'W8') return fn(n)
  const t0 = performance.now()
  if (w === 'W5') for (let k = 0; k < n; k++) await fn(`${tagBase}-${runCounter++}`)
  else if (w === 'W6') for (let k = 0; k < n; k++) await fn(runCounter++)
  else if (cycle) for (let k = 0; k < n; k++) await fn(k)
  else for (let k = 0; k < n; k++) await fn(opCounter++)
  return performance.now() - t0
}

/** An error's first non-empty line (Prisma's messages start with a blank one), never empty. */
function errorText(error) {
  const text = String(error?.message ?? error).split('\n').map((l) => l.trim()).find((l) => l.length > 0)
  return (text ?? error?.name ?? 'unknown error').slice(0, 300)
}

function emit(r) {
  process.stdout.write(JSON.stringify({ peer: peerName, db, version: mod.meta?.version ?? null, ...r }) + '\n')
}

for (const w of workloadList.split(',')) {
  if (w === 'W9') {
    if (typeof peer.w9 !== 'function') { emit({ workload: w, error: 'not applicable' }); continue }
    try { for (const r of await peer.w9(quick)) emit(r) } catch (error) { emit({ workload: w, error: String(error?.stack ?? error).split('\n').slice(0, 3).join(' | ') }) }
    continue
  }
  const spec = WORKLOADS[w]
  try {
    if (typeof peer[w.toLowerCase()] !== 'function') throw new Error('not implemented by this peer')
    // correctness check on a first operation (untimed)
    const sample = w === 'W8' ? null : await peer[w.toLowerCase()](w === 'W5' ? `${tagBase}-check` : w === 'W6' ? runCounter++ : 0)
    if (w !== 'W8' && w !== 'W5') CHECKS[w](sample)
    let n = quick ? spec.quick : spec.full
    const warm = await oneRun(w, n)
    // keep each process bounded: scale n down when one run would be too long
    const budgetMs = quick ? spec.budgetQuick ?? 100 : spec.budgetFull ?? 800
    if (warm > budgetMs && n > 1) n = Math.max(1, Math.floor(n * budgetMs / warm))
    if (spec.cycle) n = Math.max(spec.cycle, n - (n % spec.cycle))
    // then warm up to a steady state (the JIT done with the hot code), the same for every peer
    if (!quick) for (let spent = 0, k = 0; spent < WARM_MS && k < WARM_RUNS_MAX; k++) spent += await oneRun(w, n)
    const runs = []
    for (let r = 0; r < RUNS; r++) runs.push(await oneRun(w, n))
    const ms = median(runs)
    emit({ workload: w, n, unit: spec.unit, runsMs: runs.map((x) => +x.toFixed(3)), medianMs: +ms.toFixed(3), opsPerSec: n / (ms / 1000) })
  } catch (error) {
    emit({ workload: w, error: errorText(error) })
  }
}
await peer.close?.()
process.exit(0)
