/**
 * The contract between the runtime's `Query` and the compiler.
 *
 * The runtime describes a query as a `QuerySpec`: plain data holding the
 * user's lambdas (functions plus their params objects) and the builder calls
 * in order. The compiler turns it into a `CompiledQuery`: SQL text for one
 * dialect, the list of parameter slots (where each bound value comes from),
 * and the plan for turning result rows into values or entities. The compiled
 * form never contains a param value, so it is cached and reused for every run
 * of the same shape; the runtime binds values per run with `slots`.
 */
import type { ScalarType } from './schema.js'

/** A lambda as the user wrote it, with the params object passed beside it. */
export interface LambdaInput {
  readonly fn: (...args: never[]) => unknown
  readonly params: Readonly<Record<string, unknown>> | undefined
}

export type QueryOp =
  /** `filter(lambda)`: on the current result: the sources, or the mapped value after `map` (HAVING when aggregated). */
  | { readonly op: 'filter'; readonly lambda: LambdaInput }
  /** `where(lambda)`: always on the source entities, even after `map`. */
  | { readonly op: 'where'; readonly lambda: LambdaInput }
  | { readonly op: 'map'; readonly lambda: LambdaInput }
  /** `map(x => x.attr)` for an attribute named at run time: how `p.cars.select(…)` is built. */
  | { readonly op: 'mapAttr'; readonly attr: string }
  /** `orderBy(lambda)`: replaces any earlier order. */
  | { readonly op: 'orderBy'; readonly lambda: LambdaInput }
  /** Order by the primary key unless an `orderBy` is present (what `first()` adds). */
  | { readonly op: 'defaultOrder' }
  | { readonly op: 'distinct'; readonly distinct: boolean }
  | { readonly op: 'limit'; readonly limit: number | null; readonly offset: number }
  | { readonly op: 'forUpdate'; readonly nowait: boolean; readonly skipLocked: boolean }
  | { readonly op: 'random'; readonly n: number }
  /**
   * `prefetch(p => p.user.company)` through joins: every object along `path`
   * (a chain of to-one references from the entity the rows are) is selected
   * in the same statement. Only on a query whose value is one entity; with
   * the `rows` terminal each row then reads as the tuple `[value, …loaded]`,
   * one loaded object per distinct path prefix in op order. Other terminals
   * ignore it.
   */
  | { readonly op: 'joinLoad'; readonly path: readonly string[] }

export type QueryTerminal =
  /** Fetch the rows (await, fetch, first, get). */
  | { readonly kind: 'rows' }
  | { readonly kind: 'count' }
  | { readonly kind: 'exists' }
  | { readonly kind: 'aggregate'; readonly fn: 'sum' | 'avg' | 'min' | 'max'; readonly lambda: LambdaInput | null }
  /** `delete({ bulk: true })`: one DELETE. */
  | { readonly kind: 'delete' }
  /** `update(p => ({ … }))`: one UPDATE. */
  | { readonly kind: 'update'; readonly lambda: LambdaInput }

export interface QuerySpec {
  /** Entity names of the sources: `Person.select` has one; `select(Person, Car, …)` several. */
  readonly sources: readonly string[]
  readonly ops: readonly QueryOp[]
  readonly terminal: QueryTerminal
}

/**
 * Where one bound value comes from.
 * - `lambda`: `ops`/`terminal` lambda number `lambda` (counted in the order
 *   `lambdaInputs(spec)` lists them); its params object, then `path`
 *   (property names or array indexes; for an entity param, its primary-key
 *   attribute name). `type` is the column type the value is compared with.
 *   With `list`, the value is an array bound whole as one parameter (a long
 *   `includes` list): its null elements are left out, each other element
 *   (an entity: its primary key) is converted for `type`, and the list is
 *   sent as a JS array (`'array'`, the driver makes it a database array) or
 *   as JSON array text (`'json'`).
 * - `limit` / `offset`: the numbers from the spec's `limit` op.
 * - `const`: a value the translator produced itself (kept out of the SQL
 *   text so numbers bind as typed doubles, SEMANTICS #24).
 */
export type ParamSlot =
  | { readonly from: 'lambda'; readonly lambda: number; readonly path: readonly (string | number)[]; readonly type: ScalarType | null; readonly list?: 'array' | 'json' }
  | { readonly from: 'limit' }
  | { readonly from: 'offset' }
  /** The row count of `random(n)`: bound, so every n shares one compiled statement. */
  | { readonly from: 'random' }
  | { readonly from: 'const'; readonly value: unknown; readonly type: ScalarType | null }

/** How the columns of one result row become one value, consumed left to right. */
export type ValueShape =
  | { readonly kind: 'value'; readonly type: ScalarType | 'count' | 'unknown' }
  /**
   * An entity: the columns of `attrs` in order (each attribute as many
   * columns as it occupies; the primary-key attributes come first), then the
   * discriminator column when `discriminator`. `attrs` lists every non-lazy
   * stored attribute (for a hierarchy: of the whole family, so a row of any
   * subclass hydrates).
   */
  | { readonly kind: 'entity'; readonly entity: string; readonly attrs: readonly string[]; readonly discriminator: boolean }
  | { readonly kind: 'tuple'; readonly items: readonly ValueShape[] }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly items: readonly ValueShape[] }

export type ResultPlan =
  /** One entity per row (also `map(c => c.owner)` and flattened collections). */
  | { readonly kind: 'rows'; readonly shape: ValueShape }
  /** A single value from the first row (count, sum, avg, min, max, exists). */
  | { readonly kind: 'scalar'; readonly shape: ValueShape }
  /** The affected-row count (bulk update/delete). */
  | { readonly kind: 'affected' }

export interface CompiledQuery {
  readonly sql: string
  readonly slots: readonly ParamSlot[]
  readonly result: ResultPlan
  /** Entities whose tables this statement reads or writes (for autoflush and identity-map eviction). */
  readonly tables: readonly string[]
}

/** The lambdas of a spec in slot order: ops first, then the terminal's. */
export function lambdaInputs(spec: QuerySpec): LambdaInput[] {
  const out: LambdaInput[] = []
  for (const op of spec.ops) if ('lambda' in op) out.push(op.lambda)
  const t = spec.terminal
  if ((t.kind === 'aggregate' || t.kind === 'update') && t.lambda !== null) out.push(t.lambda)
  return out
}
