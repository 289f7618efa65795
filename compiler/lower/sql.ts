/**
 * The SQL tree: what lowering produces and the renderer prints. Nodes have
 * SQL meaning (three-valued logic) except `not` with `js: true`, a pending
 * JavaScript negation that the null-semantics pass rewrites. Functions are
 * named abstractly (`lower`, `instr`, `year` …); each flavor's function table
 * spells them. Every expression says whether it can be NULL.
 */
import type { ParamSlot } from '../query-spec.js'
import type { ScalarType } from '../schema.js'
import type { CastType, JsonMode, SqlFn } from '../sql-flavor.js'

export type { CastType, JsonMode, SqlFn }
export type CmpOp = '=' | '<>' | '<' | '<=' | '>' | '>='
export type MatchMode = 'prefix' | 'suffix' | 'contains'
/** `decSum`/`decAvg`: SUM/AVG of decimals, exact (the flavor's function table spells them). */
export type SqlAggFn = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'groupConcat' | 'decSum' | 'decAvg'

interface N {
  readonly nullable: boolean
}

export type SqlExpr =
  | (N & { readonly k: 'col'; readonly alias: string; readonly name: string })
  /** A bound value; `cast` names its type when the position does not (PostgreSQL infers types from context). */
  | (N & { readonly k: 'param'; readonly slot: ParamSlot; readonly cast: ScalarType | null })
  | (N & { readonly k: 'kw'; readonly sql: 'NULL' | 'TRUE' | 'FALSE' })
  /** An integer the compiler itself needs (0 in NULLIF, 1 for 1-based positions): never a user value. */
  | (N & { readonly k: 'num'; readonly value: number })
  /** A string constant the compiler itself writes (date formats, discriminator names). */
  | (N & { readonly k: 'str'; readonly value: string })
  | (N & { readonly k: 'bin'; readonly op: '+' | '-' | '*' | '/' | '%'; readonly l: SqlExpr; readonly r: SqlExpr })
  | (N & { readonly k: 'neg'; readonly arg: SqlExpr })
  | (N & { readonly k: 'cmp'; readonly op: CmpOp; readonly l: SqlExpr; readonly r: SqlExpr })
  | (N & { readonly k: 'and' | 'or'; readonly items: readonly SqlExpr[] })
  | (N & { readonly k: 'not'; readonly arg: SqlExpr; readonly js: boolean })
  | (N & { readonly k: 'isNull'; readonly arg: SqlExpr; readonly negated: boolean })
  | (N & { readonly k: 'fn'; readonly name: SqlFn; readonly args: readonly SqlExpr[] })
  | (N & { readonly k: 'cast'; readonly arg: SqlExpr; readonly to: CastType })
  | (N & { readonly k: 'case'; readonly whens: readonly { readonly when: SqlExpr; readonly then: SqlExpr }[]; readonly else: SqlExpr })
  | (N & { readonly k: 'in'; readonly arg: SqlExpr; readonly items: readonly SqlExpr[]; readonly negated: boolean })
  /**
   * `arg` is one of the values of a whole list bound as one slot (never holding NULL), each of `type`:
   * `= ANY($1)`, `IN (SELECT value FROM json_each(?))` … as the flavor writes it.
   */
  | (N & { readonly k: 'inParam'; readonly arg: SqlExpr; readonly slot: Extract<ParamSlot, { from: 'lambda' }>; readonly type: ScalarType; readonly negated: boolean })
  | (N & { readonly k: 'match'; readonly mode: MatchMode; readonly arg: SqlExpr; readonly needle: SqlExpr; readonly negated: boolean })
  | (N & { readonly k: 'exists'; readonly query: SqlSelect; readonly negated: boolean })
  | (N & { readonly k: 'subquery'; readonly query: SqlSelect })
  | (N & { readonly k: 'agg'; readonly fn: SqlAggFn; readonly arg: SqlExpr | null; readonly distinct: boolean; readonly sep: string | null })
  | (N & { readonly k: 'json'; readonly arg: SqlExpr; readonly path: readonly (string | number)[]; readonly mode: JsonMode })
  | (N & { readonly k: 'raw'; readonly parts: readonly string[]; readonly args: readonly SqlExpr[] })
  /** `(a, b) IN (SELECT …)`: rows of a DELETE/UPDATE chosen by a query that needs joins. */
  | (N & { readonly k: 'inSelect'; readonly args: readonly SqlExpr[]; readonly query: SqlSelect })
  /** A condition used as a value: made two-valued (never NULL) by the null-semantics pass. */
  | (N & { readonly k: 'asValue'; readonly arg: SqlExpr })
  /** The select item of the same SELECT with this alias, unquoted; written only by the renderer (render/having-alias.ts). */
  | (N & { readonly k: 'ref'; readonly name: string })

export interface Join {
  readonly kind: 'INNER' | 'LEFT'
  readonly table: string
  readonly alias: string
  readonly on: SqlExpr
}

export type FromItem =
  | { readonly k: 'table'; readonly table: string; readonly alias: string; readonly joins: readonly Join[] }
  | { readonly k: 'derived'; readonly query: SqlSelect; readonly alias: string }

export interface OrderItem {
  readonly expr: SqlExpr
  readonly desc: boolean
}

export interface SelectItem {
  readonly expr: SqlExpr
  readonly alias: string | null
  /** The key the item is read into (`bucket` of `{ bucket: …, n: count() }`): what the renderer names it after when it must alias it. */
  readonly hint?: string
}

export interface SqlSelect {
  readonly k: 'select'
  readonly distinct: boolean
  readonly items: readonly SelectItem[]
  readonly from: readonly FromItem[]
  readonly where: SqlExpr | null
  readonly groupBy: readonly SqlExpr[]
  readonly having: SqlExpr | null
  readonly orderBy: readonly OrderItem[]
  readonly limit: SqlExpr | null
  readonly offset: SqlExpr | null
  readonly lock: { readonly nowait: boolean; readonly skipLocked: boolean; readonly of: readonly string[] } | null
}

/** DELETE/UPDATE address the table by its name: `table` is also the qualifier of its columns. */
export interface SqlDelete {
  readonly k: 'delete'
  readonly table: string
  readonly where: SqlExpr | null
}

export interface SqlUpdate {
  readonly k: 'update'
  readonly table: string
  readonly sets: readonly { readonly column: string; readonly value: SqlExpr }[]
  readonly where: SqlExpr | null
}

export type SqlStatement = SqlSelect | SqlDelete | SqlUpdate

export const TRUE_SQL: SqlExpr = Object.freeze({ k: 'kw', sql: 'TRUE', nullable: false })
export const FALSE_SQL: SqlExpr = Object.freeze({ k: 'kw', sql: 'FALSE', nullable: false })
export const NULL_SQL: SqlExpr = Object.freeze({ k: 'kw', sql: 'NULL', nullable: true })

export function emptySelect(): SqlSelect {
  return { k: 'select', distinct: false, items: [], from: [], where: null, groupBy: [], having: null, orderBy: [], limit: null, offset: null, lock: null }
}

/** AND/OR of conditions with TRUE/FALSE folded. */
export function sqlLogic(k: 'and' | 'or', items: readonly SqlExpr[]): SqlExpr {
  const unit = k === 'and' ? 'TRUE' : 'FALSE'
  const zero = k === 'and' ? 'FALSE' : 'TRUE'
  const flat: SqlExpr[] = []
  for (const e of items) {
    if (e.k === 'kw' && e.sql === zero) return e
    if (e.k === 'kw' && e.sql === unit) continue
    if (e.k === k) flat.push(...e.items)
    else flat.push(e)
  }
  if (flat.length === 0) return k === 'and' ? TRUE_SQL : FALSE_SQL
  if (flat.length === 1) return flat[0]!
  return { k, items: flat, nullable: flat.some((e) => e.nullable) }
}

/** A decimal as a value whose order is numeric order (`<`, ORDER BY): `decKey` in the flavor's spelling. */
export function decKey(arg: SqlExpr): SqlExpr {
  return { k: 'fn', name: 'decKey', args: [arg], nullable: arg.nullable }
}

/** MIN/MAX of `arg`; of decimals, taken over their keys and read back, so the order is numeric. */
export function minMaxSql(fn: 'min' | 'max', arg: SqlExpr | null, decimal: boolean, distinct: boolean, nullable: boolean): SqlExpr {
  if (!decimal || arg === null) return { k: 'agg', fn, arg, distinct, sep: null, nullable }
  const agg: SqlExpr = { k: 'agg', fn, arg: decKey(arg), distinct, sep: null, nullable }
  return { k: 'fn', name: 'decValue', args: [agg], nullable }
}

/**
 * SUM/AVG of `arg`; of decimals, the exact `decSum`/`decAvg`. A sum is wrapped in
 * `COALESCE(…, 0)`: the sum of nothing is 0.
 */
export function sumAvgSql(fn: 'sum' | 'avg', arg: SqlExpr | null, decimal: boolean, distinct: boolean): SqlExpr {
  const agg: SqlExpr = { k: 'agg', fn: !decimal ? fn : fn === 'sum' ? 'decSum' : 'decAvg', arg, distinct, sep: null, nullable: true }
  return fn === 'sum' ? { k: 'fn', name: 'coalesce', args: [agg, { k: 'num', value: 0, nullable: false }], nullable: false } : agg
}

export function isNullSql(arg: SqlExpr, negated = false): SqlExpr {
  return { k: 'isNull', arg, negated, nullable: false }
}
