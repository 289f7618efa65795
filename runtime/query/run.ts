/**
 * Running a query: flush what could change the answer, compile (a cache hit
 * after the first run of a shape), bind this run's values, execute under the
 * session's connection policy, and turn rows into results through the
 * identity map. Set-based writes keep the identity map consistent: deleted
 * objects are marked gone, updated ones are read again.
 */
import { compileQuery } from '../../compiler/compile.js'
import type { CompiledQuery, QuerySpec, QueryTerminal } from '../../compiler/query-spec.js'
import type { Database } from '../database.js'
import { requireSession } from '../session/session.js'
import type { SessionDb } from '../session/session-db.js'
import { markDeleted } from '../session/deletion.js'
import { STATE, type HasState } from '../entity/state.js'
import { keyOf } from '../session/identity-map.js'
import { bindParams } from './bind.js'
import { readShape, RowReader } from './hydrate.js'
import { selectByAttrs } from './load.js'

function compile(db: Database, spec: QuerySpec): CompiledQuery {
  return compileQuery(spec, db.schema, db.dialect.flavor)
}

/** SQL and params without running (no session needed). */
export function compileAndBind(db: Database, spec: QuerySpec): { sql: string; params: unknown[] } {
  const compiled = compile(db, spec)
  return { sql: compiled.sql, params: bindParams(db.dialect, compiled, spec) }
}

async function prepare(db: Database, spec: QuerySpec): Promise<{ sdb: SessionDb; compiled: CompiledQuery; params: unknown[] }> {
  const sdb = requireSession('running a query').forDb(db)
  sdb.assertUsable()
  const compiled = compile(db, spec)
  await sdb.flush()
  const params = bindParams(db.dialect, compiled, spec)
  if (spec.ops.some((op) => op.op === 'forUpdate')) await sdb.begin()
  return { sdb, compiled, params }
}

export async function runQuery(db: Database, spec: QuerySpec): Promise<unknown> {
  const { sdb, compiled, params } = await prepare(db, spec)
  const result = await sdb.execute(compiled.sql, params, false)
  const plan = compiled.result
  if (plan.kind === 'affected') return result.affected
  const reader = new RowReader([], db.dialect)
  if (plan.kind === 'scalar') {
    const row = result.rows[0]
    if (row === undefined) return spec.terminal.kind === 'exists' ? false : null
    reader.row = row
    const value = readShape(sdb, db.schema, plan.shape, reader)
    if (spec.terminal.kind === 'exists') return value !== null && value !== 0 && value !== false && value !== '0' && value !== 0n
    return value
  }
  const out: unknown[] = new Array(result.rows.length)
  for (let i = 0; i < result.rows.length; i++) {
    reader.row = result.rows[i]!
    reader.i = 0
    out[i] = readShape(sdb, db.schema, plan.shape, reader)
  }
  return out
}

export async function* streamQuery(db: Database, spec: QuerySpec): AsyncGenerator<unknown> {
  const { sdb, compiled, params } = await prepare(db, spec)
  if (compiled.result.kind !== 'rows') throw new TypeError('only row queries can be iterated')
  const shape = compiled.result.shape
  const reader = new RowReader([], db.dialect)
  for await (const row of sdb.stream(compiled.sql, params)) {
    reader.row = row
    reader.i = 0
    yield readShape(sdb, db.schema, shape, reader)
  }
}

/**
 * `delete()` / `delete({ bulk: true })` / `update(lambda)`. Without `bulk`,
 * each object is loaded and deleted through the unit of work (cascades,
 * hooks). Set-based forms first read which objects match, then run one
 * statement, then fix those objects in the identity map.
 */
export async function bulkWrite(db: Database, spec: QuerySpec, terminal: QueryTerminal | null): Promise<number> {
  const sdb = requireSession('a set-based write').forDb(db)
  const matching = (await runQuery(db, { ...spec, terminal: { kind: 'rows' } })) as HasState[]
  if (terminal === null) {
    for (const obj of matching) markDeleted(sdb, obj)
    await sdb.flush()
    return matching.length
  }
  const { compiled, params } = await prepare(db, { ...spec, terminal })
  const result = await sdb.execute(compiled.sql, params, true)
  if (terminal.kind === 'delete') {
    for (const obj of matching) {
      const s = obj[STATE]
      s.status = 'gone'
      sdb.identity.remove(obj, keyOf(s.meta.pk.map((a) => s.values[a.index])))
    }
  } else if (matching.length > 0) {
    const meta = matching[0]![STATE].meta.root
    for (const obj of matching) {
      const s = obj[STATE]
      for (const attr of s.meta.slots) if (attr.kind !== 'primaryKey' && attr.columns.length > 0) s.loaded[attr.index] = false
    }
    for (const obj of matching) {
      const s = obj[STATE]
      await selectByAttrs(sdb, meta, meta.pk, meta.pk.map((a) => s.values[a.index]))
    }
  }
  return result.affected
}

/** The database's plan for a query, as text. */
export async function explainQuery(db: Database, spec: QuerySpec): Promise<string> {
  const { sdb, compiled, params } = await prepare(db, spec)
  const result = await sdb.execute(db.dialect.explainSql(compiled.sql), params, false)
  return result.rows.map((row) => row.map((v) => String(v)).join(' | ')).join('\n')
}
