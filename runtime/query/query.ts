/**
 * `Query<T>`: an immutable, lazy description of a query. Every builder
 * returns a new Query holding a longer `QuerySpec`; nothing runs until the
 * query is awaited, iterated, or asked for a result (`fetch`, `first`,
 * `count` …). `getSql()` compiles without running.
 */
import { MultipleObjectsFoundError, TranslationError } from '../../compiler/errors.js'
import type { LambdaInput, QueryOp, QuerySpec, QueryTerminal } from '../../compiler/query-spec.js'
import type { Database } from '../database.js'
import type { Collection } from '../entity/collection.js'
import { requireSession } from '../session/session.js'
import { compileAndBind, explainQuery, runQuery, streamQuery } from './run.js'
import { bulkWrite } from './bulk.js'
import { checkPath, joinLoads, prefetchPath, runPrefetch, type PrefetchNav, type PrefetchPath } from './prefetch.js'

/** What `map` gives: a collection flattens to its items. */
export type Mapped<U> = U extends Collection<infer X> ? X : U

type Params = Readonly<Record<string, unknown>>

/** What `fetch` runs: the rows' spec, and whether each row comes back as `[row, …objects loaded through joins]`. */
interface FetchPlan {
  readonly spec: QuerySpec
  readonly joined: boolean
}

function firstItem(row: unknown): unknown {
  return (row as readonly unknown[])[0]
}

/** A lambda and its params as a query op holds them; anything else is a TranslationError naming `method`. */
export function lambdaInput(fn: unknown, params: unknown, method: string): LambdaInput {
  if (typeof fn !== 'function') throw new TranslationError(`${method} takes a lambda, such as p => p.age > 18`)
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    throw new TranslationError(`${method}: the params must be an object, such as { minAge }`)
  }
  return { fn: fn as LambdaInput['fn'], params: params as Params | undefined }
}

/**
 * A query whose rows are `T`; `A` are the arguments its lambdas receive
 * (the row, or the sources of a multi-entity select); `S` the source entities.
 */
export class Query<T, A extends unknown[] = [T], S extends unknown[] = A> implements PromiseLike<T[]>, AsyncIterable<T> {
  /** @internal `prefetches`: relation paths loaded after the rows (see `prefetch`). */
  constructor(readonly db: Database, readonly spec: QuerySpec, private readonly prefetches: readonly PrefetchPath[] = []) {}

  private plan: FetchPlan | undefined

  /** The rows' spec with the to-one starts of the prefetch paths joined in (worked out once per query). */
  private fetchPlan(): FetchPlan {
    if (this.plan === undefined) {
      const rows = this.terminal({ kind: 'rows' })
      const loads = this.prefetches.length === 0 ? [] : joinLoads(this.db, rows, this.prefetches)
      this.plan = { spec: loads.length === 0 ? rows : { ...rows, ops: [...rows.ops, ...loads] }, joined: loads.length > 0 }
    }
    return this.plan
  }

  private with(op: QueryOp): Query<T, A, S> {
    return new Query(this.db, { ...this.spec, ops: [...this.spec.ops, op] }, this.prefetches)
  }

  /** Keep rows for which the lambda is true (HAVING after an aggregating `map`). */
  filter<P extends Params = Params>(fn: (...args: [...A, P]) => unknown, params?: P): Query<T, A, S> {
    return this.with({ op: 'filter', lambda: lambdaInput(fn, params, 'filter') })
  }

  /** A condition on the source entities, also after `map`. */
  where<P extends Params = Params>(fn: (...args: [...S, P]) => unknown, params?: P): Query<T, A, S> {
    return this.with({ op: 'where', lambda: lambdaInput(fn, params, 'where') })
  }

  /** Order by one key or several: `p => [desc(p.age), p.name]`. Replaces an earlier order. */
  orderBy<P extends Params = Params>(fn: (...args: [...A, P]) => unknown, params?: P): Query<T, A, S> {
    return this.with({ op: 'orderBy', lambda: lambdaInput(fn, params, 'orderBy') })
  }

  /** At most `n` rows, after skipping `offset`. */
  limit(n: number | null, offset = 0): Query<T, A, S> {
    if (n !== null && (!Number.isInteger(n) || n < 0)) throw new TranslationError(`limit takes a whole number ≥ 0, got ${String(n)}`)
    if (!Number.isInteger(offset) || offset < 0) throw new TranslationError(`limit's offset takes a whole number ≥ 0, got ${String(offset)}`)
    return this.with({ op: 'limit', limit: n, offset })
  }

  /** Page `n` (from 1) of `pageSize` rows. */
  page(n: number, pageSize = 10): Query<T, A, S> {
    if (!Number.isInteger(n) || n < 1) throw new TranslationError(`page numbers start at 1, got ${String(n)}`)
    return this.limit(pageSize, (n - 1) * pageSize)
  }

  distinct(): Query<T, A, S> {
    return this.with({ op: 'distinct', distinct: true })
  }

  withoutDistinct(): Query<T, A, S> {
    return this.with({ op: 'distinct', distinct: false })
  }

  /** A projection: values, tuples, objects, related entities, flattened collections. */
  map<U, P extends Params = Params>(fn: (...args: [...A, P]) => U, params?: P): Query<Mapped<U>, [Mapped<U>], S> {
    return new Query(this.db, { ...this.spec, ops: [...this.spec.ops, { op: 'map', lambda: lambdaInput(fn, params, 'map') }] })
  }

  /** Lock the selected rows (`SELECT … FOR UPDATE`); the session holds its connection from here. */
  forUpdate(options: { nowait?: boolean; skipLocked?: boolean } = {}): Query<T, A, S> {
    return this.with({ op: 'forUpdate', nowait: options.nowait === true, skipLocked: options.skipLocked === true })
  }

  /** `n` rows in random order. */
  random(n: number): Query<T, A, S> {
    return this.with({ op: 'random', n })
  }

  private terminal(t: QueryTerminal): QuerySpec {
    return t.kind === 'rows' && this.spec.terminal.kind === 'rows' ? this.spec : { ...this.spec, terminal: t }
  }

  /**
   * Load these relations of every result object (to-one, one-to-many,
   * many-to-many, nested paths), so that reading them afterwards sends no
   * SQL. When the rows are one entity, the to-one references a path starts
   * with are selected in the same statement through joins; the rest is
   * loaded after the rows in batched `IN (…)` SELECTs. The lambdas are
   * parsed, never run.
   * @example
   * const people = await Person.select().prefetch((p) => p.cars, (p) => p.cars.tags)
   * for (const p of people) for (const c of p.cars) console.log(c.make, [...c.tags].length)
   * const posts = await Post.select().prefetch((p) => p.user).limit(50)
   * // SELECT p.…, p_user.… FROM post p JOIN users p_user ON p_user.id = p.user LIMIT ?
   */
  prefetch(...fns: ((x: PrefetchNav<T>) => unknown)[]): Query<T, A, S> {
    const paths = fns.map((fn) => prefetchPath(fn))
    const entity = this.spec.sources.length === 1 && !this.spec.ops.some((op) => op.op === 'map' || op.op === 'mapAttr') ? this.spec.sources[0] : undefined
    if (entity !== undefined) for (const path of paths) checkPath(this.db, entity, path)
    return new Query(this.db, this.spec, [...this.prefetches, ...paths])
  }

  /** Run and return every row (then load the `prefetch` relations the statement did not). */
  fetch(): Promise<T[]> {
    if (this.prefetches.length === 0) return runQuery(this.db, this.terminal({ kind: 'rows' })) as Promise<T[]>
    return this.fetchAndPrefetch()
  }

  private async fetchAndPrefetch(): Promise<T[]> {
    const plan = this.fetchPlan()
    const result = (await runQuery(this.db, plan.spec)) as unknown[]
    const rows = (plan.joined ? result.map(firstItem) : result) as T[]
    await runPrefetch(requireSession('prefetch').forDb(this.db), rows, this.prefetches)
    return rows
  }

  then<R1 = T[], R2 = never>(onFulfilled?: ((value: T[]) => R1 | PromiseLike<R1>) | null, onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    return this.fetch().then(onFulfilled, onRejected)
  }

  /** Stream the rows with a cursor (`for await`), in bounded memory in a strict session. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return (streamQuery(this.db, this.terminal({ kind: 'rows' })) as AsyncGenerator<T>)[Symbol.asyncIterator]()
  }

  /** The first row (by primary key unless ordered), or null. */
  async first(): Promise<T | null> {
    const q = this.with({ op: 'defaultOrder' }).limit(1)
    const rows = await q.fetch()
    return rows[0] ?? null
  }

  /** The only row, or null; more than one is a MultipleObjectsFoundError. */
  async get(): Promise<T | null> {
    const rows = await this.limit(2).fetch()
    if (rows.length > 1) throw new MultipleObjectsFoundError('the query returned more than one row; use first() or a stricter filter')
    return rows[0] ?? null
  }

  async exists(): Promise<boolean> {
    return (await runQuery(this.db, this.terminal({ kind: 'exists' }))) === true
  }

  async count(): Promise<number> {
    return Number(await runQuery(this.db, this.terminal({ kind: 'count' })))
  }

  private aggregate(fn: 'sum' | 'avg' | 'min' | 'max', f: unknown, params: unknown): Promise<unknown> {
    return runQuery(this.db, this.terminal({ kind: 'aggregate', fn, lambda: f === undefined ? null : lambdaInput(f, params, fn) }))
  }

  /** Sum of the rows (or of the lambda's value); 0 when there are none. */
  async sum<P extends Params = Params>(fn?: (...args: [...A, P]) => unknown, params?: P): Promise<number> {
    return Number((await this.aggregate('sum', fn, params)) ?? 0)
  }

  async avg<P extends Params = Params>(fn?: (...args: [...A, P]) => unknown, params?: P): Promise<number | null> {
    const v = await this.aggregate('avg', fn, params)
    return v === null ? null : Number(v)
  }

  async min<U = T, P extends Params = Params>(fn?: (...args: [...A, P]) => U, params?: P): Promise<U | null> {
    return (await this.aggregate('min', fn, params)) as U | null
  }

  async max<U = T, P extends Params = Params>(fn?: (...args: [...A, P]) => U, params?: P): Promise<U | null> {
    return (await this.aggregate('max', fn, params)) as U | null
  }

  /** Delete the matching objects (loaded, with cascades and hooks), or with `bulk` in one DELETE. Returns the count. */
  async delete(options: { bulk?: boolean } = {}): Promise<number> {
    return bulkWrite(this.db, this.spec, options.bulk === true ? { kind: 'delete' } : null)
  }

  /** One UPDATE for every matching row: `q.update(p => ({ age: p.age + 1 }))`. Returns the count. */
  async update<P extends Params = Params>(fn: (...args: [...S, P]) => Record<string, unknown>, params?: P): Promise<number> {
    return bulkWrite(this.db, this.spec, { kind: 'update', lambda: lambdaInput(fn, params, 'update') })
  }

  /** The SQL and bound params `fetch` would send, for the bound dialect, without running. */
  getSql(): { sql: string; params: unknown[] } {
    return compileAndBind(this.db, this.fetchPlan().spec)
  }

  /** Print the rows as a table. */
  async show(): Promise<void> {
    const rows = await this.fetch()
    console.table(rows.map((r) => (typeof r === 'object' && r !== null && 'toDict' in r ? (r as { toDict(): unknown }).toDict() : r)))
  }

  /** The database's plan for this query. */
  async explain(): Promise<string> {
    return explainQuery(this.db, this.fetchPlan().spec)
  }
}
