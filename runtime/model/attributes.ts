/**
 * The attribute DSL of `db.define`: `primaryKey`, `required`, `optional`,
 * `set`, `computed`, and the type markers (`Int`, `Json<T>()`, `Enum([...])`
 * …). Each call returns a plain, frozen `AttrDef` that carries its value type
 * for TypeScript (phantom fields) and its options for `buildSchema`.
 */
import type { ScalarType } from '../../compiler/schema.js'

/** A type that is not a JS constructor: `Int`, `Decimal`, `Json<T>()` … */
export interface TypeMarker<V, S extends ScalarType = ScalarType> {
  readonly scalar: S
  readonly enumValues?: readonly string[]
  /** Phantom: the JS value type. */
  readonly __value?: V
}

function marker<V, S extends ScalarType>(scalar: S, enumValues?: readonly string[]): TypeMarker<V, S> {
  return Object.freeze(enumValues === undefined ? { scalar } : { scalar, enumValues })
}

/** An integer read as a JS number. */
export const Int: TypeMarker<number, 'int'> = marker('int')
/** A calendar date as a 'YYYY-MM-DD' string. */
export const DateOnly: TypeMarker<string, 'dateonly'> = marker('dateonly')
/** An exact decimal, as a JS string. */
export const Decimal: TypeMarker<string, 'decimal'> = marker('decimal')
export const Uuid: TypeMarker<string, 'uuid'> = marker('uuid')
/** Long text, lazy by default. */
export const LongStr: TypeMarker<string, 'longstr'> = marker('longstr')
/** A JSON value of type T. */
export function Json<T = unknown>(): TypeMarker<T, 'json'> {
  return marker<T, 'json'>('json')
}
/** A string restricted to the given values: `Enum(['draft', 'live'])`. */
export function Enum<const V extends readonly string[]>(values: V): TypeMarker<V[number], 'enum'> {
  return marker<V[number], 'enum'>('enum', Object.freeze([...values]))
}

export type TypeSpec =
  | StringConstructor
  | NumberConstructor
  | BooleanConstructor
  | DateConstructor
  | BigIntConstructor
  | Uint8ArrayConstructor
  | TypeMarker<unknown>

/** The JS value type a TypeSpec stands for. */
export type ValueOf<T> = T extends StringConstructor ? string
  : T extends NumberConstructor ? number
  : T extends BooleanConstructor ? boolean
  : T extends DateConstructor ? Date
  : T extends BigIntConstructor ? bigint
  : T extends Uint8ArrayConstructor ? Uint8Array
  : T extends TypeMarker<infer V> ? V
  : never

export interface AttrOptions<V = unknown> {
  unique?: boolean
  index?: boolean | string
  default?: V | (() => V)
  sqlDefault?: string
  column?: string
  maxLen?: number
  min?: number | bigint
  max?: number | bigint
  precision?: number
  scale?: number
  autostrip?: boolean
  lazy?: boolean
  volatile?: boolean
  auto?: boolean
  reverse?: string
  cascadeDelete?: boolean
  check?: (value: V) => boolean
  nullable?: boolean
  /** For `set` on a many-to-many relation: the link table's name. */
  table?: string
}

export const ATTR_OPTION_NAMES: readonly string[] = [
  'unique', 'index', 'default', 'sqlDefault', 'column', 'maxLen', 'min', 'max', 'precision', 'scale',
  'autostrip', 'lazy', 'volatile', 'auto', 'reverse', 'cascadeDelete', 'check', 'nullable', 'table',
]

export type AttrDefKind = 'primaryKey' | 'required' | 'optional' | 'set' | 'computed'

/**
 * One attribute as written in `db.define`. `V` is the value type for scalars;
 * `R` the target entity name for relations; `D` whether a value may be left
 * out on creation (default, auto, optional).
 */
export interface AttrDef<K extends AttrDefKind = AttrDefKind, V = unknown, R extends string | null = string | null, D extends boolean = boolean> {
  readonly kind: K
  /** A TypeSpec, an entity name, or null for computed. */
  readonly type: TypeSpec | string | null
  readonly options: Readonly<AttrOptions>
  readonly computed: ((obj: never) => unknown) | null
  readonly __value?: V
  readonly __ref?: R
  readonly __hasDefault?: D
}

type HasDefault<O> = O extends { default: unknown } ? true : O extends { auto: true } ? true : O extends { sqlDefault: string } ? true : false

function attr(kind: AttrDefKind, type: TypeSpec | string | null, options: AttrOptions | undefined, computedFn: ((obj: never) => unknown) | null = null): AttrDef {
  return Object.freeze({ kind, type, options: Object.freeze({ ...(options ?? {}) }), computed: computedFn })
}

/** The primary key: `primaryKey(Int, { auto: true })`, `primaryKey(String)`. */
export function primaryKey<T extends TypeSpec, const O extends AttrOptions<ValueOf<T>> = {}>(type: T, options?: O): AttrDef<'primaryKey', ValueOf<T>, null, HasDefault<O>>
export function primaryKey<E extends string>(entity: E, options?: AttrOptions): AttrDef<'primaryKey', never, E, false>
export function primaryKey(type: TypeSpec | string, options?: AttrOptions): AttrDef {
  return attr('primaryKey', type, options)
}

/** A value that must be present: not null, not undefined, and for strings not ''. */
export function required<T extends TypeSpec, const O extends AttrOptions<ValueOf<T>> = {}>(type: T, options?: O): AttrDef<'required', ValueOf<T>, null, HasDefault<O>>
export function required<E extends string>(entity: E, options?: AttrOptions): AttrDef<'required', never, E, false>
export function required(type: TypeSpec | string, options?: AttrOptions): AttrDef {
  return attr('required', type, options)
}

/** A nullable value, `null` by default. */
export function optional<T extends TypeSpec>(type: T, options?: AttrOptions<ValueOf<T>>): AttrDef<'optional', ValueOf<T>, null, true>
export function optional<E extends string>(entity: E, options?: AttrOptions): AttrDef<'optional', never, E, true>
export function optional(type: TypeSpec | string, options?: AttrOptions): AttrDef {
  return attr('optional', type, options)
}

/** A collection: one-to-many (reverse of a reference) or many-to-many (reverse of another set). */
export function set<E extends string>(entity: E, options?: AttrOptions): AttrDef<'set', never, E, true> {
  return attr('set', entity, options) as AttrDef<'set', never, E, true>
}

/** A read-only attribute computed from others; inlined into SQL when a lambda uses it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function computed<V>(fn: (obj: any) => V): AttrDef<'computed', V, null, true> {
  return attr('computed', null, undefined, fn as (obj: never) => unknown) as AttrDef<'computed', V, null, true>
}

export function isAttrDef(value: unknown): value is AttrDef {
  return typeof value === 'object' && value !== null && 'kind' in value && 'options' in value && 'computed' in value
}

/** The scalar type a TypeSpec maps to, or undefined for an unknown spec. */
export function scalarOf(type: unknown): ScalarType | undefined {
  if (type === String) return 'string'
  if (type === Number) return 'number'
  if (type === Boolean) return 'boolean'
  if (type === Date) return 'date'
  if (type === BigInt) return 'bigint'
  if (type === Uint8Array) return 'bytes'
  if (typeof type === 'object' && type !== null && 'scalar' in type) return (type as TypeMarker<unknown>).scalar
  return undefined
}
