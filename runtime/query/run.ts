/**
 * Running a query: flush what could change the answer, compile (a cache hit
 * after the first run of a shape), bind this run's values, execute under the
 * session's connection policy, and turn rows into results through the
 * identity map (set-based writes are in `bulk.ts`).
 */
import { compileQuery } from '../../compiler/compile.js'
import type { CompiledQuery, QuerySpec } from '../../compiler/query-spec.js'
import type { QueryResult } from '../../dialects/dialect.js'
import type { Database } from '../database.js'
import { requireSession } from '../session/session.js'
import type { SessionDb } from '../session/session-db.js'
import { nextObjectUid, stateIfEntity, type HasState } from '../entity/state.js'
import { keyOf, pkValues } from '../session/identity-map.js'
import { bindParams } from './bind.js'
import { readShape, RowReader } from './hydrate.js'

function compile(db: Database, spec: QuerySpec): CompiledQuery {
  return compileQuery(spec, db.schema, db.dialect.flavor)
}

/** SQL and params without running (no session needed). */
export function compileAndBind(db: Database, spec: QuerySpec): { sql: string; params: unknown[] } {
  const compiled = compile(db, spec)
  return { sql: compiled.sql, params: bindParams(db.dialect, compiled, spec) }
}

/** Session, compiled query and bound params of a spec, after flushing what could change its answer. */
export async function prepare(db: Database, spec: QuerySpec): Promise<{ sdb: SessionDb; compiled: CompiledQuery; params: unknown[] }> {
  const sdb = requireSession('running a query').forDb(db)
  sdb.assertUsable()
  const compiled = compile(db, spec)
  return { sdb, compiled, params: await prepareRun(db, sdb, compiled, spec) }
}

/** Flush, bind, and begin for `forUpdate`: the params of this run. */
async function prepareRun(db: Database, sdb: SessionDb, compiled: CompiledQuery, spec: QuerySpec): Promise<unknown[]> {
  if (!sdb.settled) await sdb.flush()
  const params = bindParams(db.dialect, compiled, spec)
  if (locks(spec)) await sdb.begin()
  return params
}

function locks(spec: QuerySpec): boolean {
  return spec.ops.some((op) => op.op === 'forUpdate')
}

/**
 * Run a query and shape its rows. With nothing to flush and no lock to take,
 * the params are bound at once; on a synchronous driver with a connection
 * free the statement then runs in this tick (one resolved promise, no await
 * per layer). Otherwise it flushes, binds and awaits the driver.
 */
export function runQuery(db: Database, spec: QuerySpec): Promise<unknown> {
  let sdb: SessionDb
  let compiled: CompiledQuery
  let params: unknown[] | null = null
  try {
    sdb = requireSession('running a query').forDb(db)
    sdb.assertUsable()
    compiled = compile(db, spec)
    if (sdb.settled && !locks(spec)) {
      params = bindParams(db.dialect, compiled, spec)
      const result = sdb.tryExecuteSync(compiled.sql, params)
      if (result !== undefined) return Promise.resolve(shapeResult(db, sdb, spec, compiled, result))
    }
  } catch (error) {
    return Promise.reject(error)
  }
  return runPrepared(db, sdb, compiled, spec, params)
}

/** The async way: flush and bind first unless `params` were bound already. */
async function runPrepared(db: Database, sdb: SessionDb, compiled: CompiledQuery, spec: QuerySpec, bound: unknown[] | null): Promise<unknown> {
  const params = bound ?? (await prepareRun(db, sdb, compiled, spec))
  return shapeResult(db, sdb, spec, compiled, await sdb.execute(compiled.sql, params, false))
}

/** The affected count, a scalar (or `exists`'s boolean), or one value per row, through the identity map. */
function shapeResult(db: Database, sdb: SessionDb, spec: QuerySpec, compiled: CompiledQuery, result: QueryResult): unknown {
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

/**
 * Rows one at a time from a cursor. In a `strict` session, an object the
 * stream created is taken out of the identity map once the loop moves on
 * (unless it was changed), so memory stays bounded however many rows pass.
 */
export async function* streamQuery(db: Database, spec: QuerySpec): AsyncGenerator<unknown> {
  const { sdb, compiled, params } = await prepare(db, spec)
  if (compiled.result.kind !== 'rows') throw new TypeError('only row queries can be iterated')
  const shape = compiled.result.shape
  const reader = new RowReader([], db.dialect)
  const strict = sdb.session.options.strict === true
  for await (const row of sdb.stream(compiled.sql, params)) {
    reader.row = row
    reader.i = 0
    const mark = nextObjectUid()
    const value = readShape(sdb, db.schema, shape, reader)
    yield value
    if (strict) forgetStreamed(sdb, value, mark)
  }
}

/** Evict the objects of one streamed value that were made for it (uid ≥ mark) and hold no pending change. */
function forgetStreamed(sdb: SessionDb, value: unknown, mark: number): void {
  const s = stateIfEntity(value)
  if (s !== undefined) {
    const obj = value as HasState
    if (s.uid < mark || sdb.modified.has(obj) || sdb.created.has(obj) || sdb.deleted.has(obj)) return
    sdb.identity.remove(obj, keyOf(pkValues(obj)))
    return
  }
  if (Array.isArray(value)) for (const item of value) forgetStreamed(sdb, item, mark)
  else if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) forgetStreamed(sdb, item, mark)
  }
}

/** The database's plan for a query, as text. */
export async function explainQuery(db: Database, spec: QuerySpec): Promise<string> {
  const { sdb, compiled, params } = await prepare(db, spec)
  const result = await sdb.execute(db.dialect.explainSql(compiled.sql), params, false)
  return result.rows.map((row) => row.map((v) => String(v)).join(' | ')).join('\n')
}
