// Profile one peer's workload: `node --cpu-prof --cpu-prof-dir=profiles lib/profile.mjs pinto sqlite W1 [seconds]`
// (pinto from its build: run `npm run build` at the root first),
// then `node lib/profile.mjs --report profiles/<file>.cpuprofile` prints the top self-time functions.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { BENCH_DIR } from './common.mjs'

if (process.argv[2] === '--report') {
  // a directory: take its largest profile (tsx's loader thread writes a small one of its own)
  const arg = process.argv[3]
  const file = fs.statSync(arg).isDirectory() ? fs.readdirSync(arg).map((f) => path.join(arg, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0] : arg
  const prof = JSON.parse(fs.readFileSync(file, 'utf8'))
  const dt = new Map()
  const { samples, timeDeltas, nodes } = prof
  const byId = new Map(nodes.map((n) => [n.id, n]))
  for (let i = 0; i < samples.length; i++) dt.set(samples[i], (dt.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0))
  const total = [...dt.values()].reduce((a, b) => a + b, 0)
  const agg = new Map()
  const area = new Map()
  const ROOT = path.resolve(BENCH_DIR, '..')
  for (const [id, us] of dt) {
    const n = byId.get(id)
    const cf = n.callFrame
    const file = cf.url.replace('file://', '')
    const inPinto = file.startsWith(ROOT) && !file.includes('node_modules') && !file.includes('/bench/')
    const key = `${cf.functionName || '(anonymous)'}  ${inPinto ? path.relative(ROOT, file) : cf.url ? cf.url.replace(/.*node_modules\//, 'nm:').replace('file://', '') : '(native)'}:${cf.lineNumber + 1}`
    agg.set(key, (agg.get(key) ?? 0) + us)
    const a = inPinto ? `pinto ${path.relative(ROOT, file).split('/').slice(0, 2).join('/')}` : file.includes('node_modules') ? `dep ${file.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, '$1')}` : cf.url.startsWith('node:') ? 'node internals' : cf.functionName === '(garbage collector)' ? 'GC' : cf.functionName === '(idle)' ? 'idle' : cf.functionName === '(program)' ? '(program)' : 'other'
    area.set(a, (area.get(a) ?? 0) + us)
  }
  const pct = (us) => ((100 * us) / total).toFixed(1).padStart(5) + '%'
  console.log(`total ${(total / 1000).toFixed(0)} ms sampled\n-- by area`)
  for (const [k, us] of [...area].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(pct(us), k)
  console.log(`-- top self time (${agg.size} functions)`)
  for (const [k, us] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[4] ?? 30))) console.log(pct(us), k)
} else {

const [peerName, db, workload, seconds = '6'] = process.argv.slice(2)
const mod = await import(pathToFileURL(path.join(BENCH_DIR, 'peers', `${peerName}.mjs`)).href)
const peer = await mod.default(db)
const fn = peer[workload.toLowerCase()]
let i = 0
const end = performance.now() + Number(seconds) * 1000
while (performance.now() < end) for (let k = 0; k < 100; k++) await fn(i++)
console.error(`${peerName} ${db} ${workload}: ${i} ops in ${seconds} s = ${Math.round(i / Number(seconds))} ops/s`)
await peer.close()
}
