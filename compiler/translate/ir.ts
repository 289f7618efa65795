/**
 * The query IR: what a lambda means, typed and dialect-free. Translation
 * builds these frozen nodes from ESTree; lowering turns them into SQL nodes.
 * Every scalar node carries its value type and whether it can be null;
 * entity-valued nodes name their entity. Comparisons, `!` and `&&`/`||`
 * keep JavaScript meaning here; the null-semantics pass of lowering makes
 * SQL agree with it.
 */
import type { AttrInfo, ColumnInfo, EntityInfo, ScalarType } from '../schema.js'

/** The value type of a scalar expression. */
export type ValueType = ScalarType | 'null' | 'unknown'

/** A row variable: a query source, a flattened collection, or a subquery's element. */
export interface SourceVar {
  readonly id: number
  readonly entity: EntityInfo
  readonly hint: string
}

/** A to-one path from a row variable: `c.owner.spouse` is base c, path [owner, spouse]. */
export interface EntityRef {
  readonly kind: 'entityRef'
  readonly entity: EntityInfo
  readonly base: SourceVar
  readonly path: readonly AttrInfo[]
  readonly nullable: boolean
}
/** An entity passed as a param: bound by its primary key. */
export interface EntityParam {
  readonly kind: 'entityParam'
  readonly entity: EntityInfo
  readonly lambda: number
  readonly path: readonly (string | number)[]
  readonly nullable: false
}
export type EntityExpr = EntityRef | EntityParam

/** A collection: `p.cars`, `c.tags`, `Car.select(…)`, with filters and a projection. */
export interface Coll {
  readonly elem: SourceVar
  /** How the elements hang off their owner; null for every row of the entity (`Car.select()`). */
  readonly owner: { readonly attr: AttrInfo; readonly from: EntityExpr } | null
  readonly filters: readonly Expr[]
  readonly map: Expr | EntityExpr | null
  readonly distinct: boolean
}

export type AggFn = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'groupConcat'

export type IrFn =
  | 'lower' | 'upper' | 'trim' | 'length' | 'indexOf' | 'substring' | 'slice'
  | 'abs' | 'round' | 'floor' | 'ceil' | 'trunc' | 'least' | 'greatest'
  | 'year' | 'month' | 'day' | 'weekday' | 'hours' | 'minutes' | 'seconds' | 'milliseconds'

export type ArithOp = '+' | '-' | '*' | '/' | '%'
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>='
export type MatchMode = 'prefix' | 'suffix' | 'contains'

interface Typed {
  readonly type: ValueType
  readonly nullable: boolean
}

export type Expr =
  | (Typed & { readonly kind: 'column'; readonly base: SourceVar; readonly path: readonly AttrInfo[]; readonly attr: AttrInfo; readonly column: ColumnInfo })
  | (Typed & { readonly kind: 'param'; readonly lambda: number; readonly path: readonly (string | number)[] })
  | (Typed & { readonly kind: 'const'; readonly value: string | number | boolean | bigint | null })
  | (Typed & { readonly kind: 'arith'; readonly op: ArithOp; readonly left: Expr; readonly right: Expr })
  | (Typed & { readonly kind: 'neg'; readonly arg: Expr })
  | (Typed & { readonly kind: 'concat'; readonly parts: readonly Expr[] })
  | (Typed & { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Expr; readonly right: Expr })
  | (Typed & { readonly kind: 'isNull'; readonly arg: Expr | EntityExpr })
  | (Typed & { readonly kind: 'entityEq'; readonly left: EntityExpr; readonly right: EntityExpr })
  | (Typed & { readonly kind: 'and' | 'or'; readonly items: readonly Expr[] })
  | (Typed & { readonly kind: 'not'; readonly arg: Expr })
  | (Typed & { readonly kind: 'truthy'; readonly arg: Expr | EntityExpr })
  | (Typed & { readonly kind: 'cond'; readonly test: Expr; readonly then: Expr; readonly else: Expr })
  | (Typed & { readonly kind: 'pick'; readonly op: '&&' | '||'; readonly left: Expr; readonly right: Expr })
  | (Typed & { readonly kind: 'coalesce'; readonly items: readonly Expr[] })
  | (Typed & { readonly kind: 'fn'; readonly fn: IrFn; readonly args: readonly Expr[] })
  | (Typed & { readonly kind: 'match'; readonly mode: MatchMode; readonly arg: Expr; readonly needle: Expr })
  | (Typed & { readonly kind: 'like'; readonly arg: Expr; readonly pattern: Expr })
  | (Typed & { readonly kind: 'in'; readonly arg: Expr | EntityExpr; readonly items: readonly (Expr | EntityExpr)[] })
  /**
   * `list.includes(arg)` for a long list param (over LONG_LIST values): the whole list at `path` is one
   * slot, its values bound as `elemType` with nulls left out; `nulls` when it held one (a null `arg` is then included).
   */
  | (Typed & { readonly kind: 'inList'; readonly arg: Expr | EntityExpr; readonly lambda: number; readonly path: readonly (string | number)[]; readonly elemType: ScalarType; readonly nulls: boolean })
  | (Typed & { readonly kind: 'json'; readonly arg: Expr; readonly path: readonly (string | number)[] })
  /** `x.a.b === null` on JSON: true for an explicit JSON null only (a missing key is undefined in JavaScript). */
  | (Typed & { readonly kind: 'jsonNull'; readonly arg: Expr; readonly path: readonly (string | number)[] })
  | (Typed & { readonly kind: 'raw'; readonly parts: readonly string[]; readonly args: readonly Expr[] })
  | (Typed & { readonly kind: 'toText'; readonly arg: Expr })
  | (Typed & { readonly kind: 'agg'; readonly fn: AggFn; readonly arg: Expr | null; readonly distinct: boolean; readonly sep: string | null })
  | (Typed & { readonly kind: 'collAgg'; readonly fn: AggFn | 'exists' | 'size'; readonly coll: Coll; readonly sep: string | null })

export type ExprKind = Expr['kind']

/** A projected value: what `map` returns, or the sources themselves. */
export type Value =
  | { readonly kind: 'scalar'; readonly expr: Expr }
  | { readonly kind: 'entity'; readonly ref: EntityExpr }
  | { readonly kind: 'tuple'; readonly items: readonly Value[] }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly items: readonly Value[] }

export interface OrderKey {
  readonly value: Expr | EntityExpr
  readonly desc: boolean
}

export type TerminalIR =
  | { readonly kind: 'rows' }
  | { readonly kind: 'count' }
  | { readonly kind: 'exists' }
  | { readonly kind: 'aggregate'; readonly fn: 'sum' | 'avg' | 'min' | 'max'; readonly expr: Expr }
  | { readonly kind: 'delete' }
  | { readonly kind: 'update'; readonly sets: readonly { readonly attr: AttrInfo; readonly value: Expr | EntityExpr }[] }

/** A whole query, ready for lowering. */
export interface QueryIR {
  readonly sources: readonly SourceVar[]
  /** Collections flattened into the rows by `map(p => p.cars)`: joined. */
  readonly flat: readonly Coll[]
  readonly where: readonly Expr[]
  readonly value: Value
  readonly grouped: boolean
  readonly having: readonly Expr[]
  readonly order: readonly OrderKey[] | null
  readonly defaultOrder: boolean
  readonly distinct: boolean
  readonly limit: boolean
  readonly offset: boolean
  readonly forUpdate: { readonly nowait: boolean; readonly skipLocked: boolean } | null
  readonly random: number | null
  readonly terminal: TerminalIR
  /** Objects selected beside each row (prefetch through joins): to-one paths from the rows' entity. */
  readonly loads: readonly EntityRef[]
}

/** Freeze a node (shallow: children are frozen when built). */
export function node<T extends object>(n: T): T {
  return Object.freeze(n)
}

/** Exhaustiveness guard for switches over tagged unions. */
export function assertNever(x: never): never {
  throw new Error(`unexpected node: ${JSON.stringify(x)}`)
}
