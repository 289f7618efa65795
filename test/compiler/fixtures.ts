/**
 * The model the compiler tests use, built with the real schema builder:
 * Person/Car/Tag from API.md §3, plus a single-table hierarchy
 * (Student extends Person), Product with decimals, Invoice with a set of
 * decimal Lines, and helpers to build specs and compile them for
 * each flavor.
 */
import { buildSchema } from '../../runtime/model/build-schema.js'
import { Decimal, Int, Json, computed, optional, primaryKey, required, set } from '../../runtime/model/attributes.js'
import { compileQuery } from '../../compiler/compile.js'
import { TranslationError } from '../../compiler/errors.js'
import type { CompiledQuery, QueryOp, QuerySpec, QueryTerminal } from '../../compiler/query-spec.js'
import type { SqlFlavor } from '../../compiler/sql-flavor.js'
import { sqliteFlavor } from '../../dialects/sqlite/sql-flavor.js'
import { postgresFlavor } from '../../dialects/postgres/sql-flavor.js'
import { mysqlFlavor } from '../../dialects/mysql/sql-flavor.js'

export const schema = buildSchema({
  Person: {
    name: required(String, { maxLen: 100, index: true }),
    age: required(Int, { min: 0 }),
    email: optional(String, { unique: true }),
    born: optional(Date),
    score: optional(Number),
    active: required(Boolean, { default: true }),
    nick: optional(String),
    cars: set('Car', { reverse: 'owner' }),
    driving: set('Car', { reverse: 'driver' }),
    fullName: computed((p: { name: string; email: string | null }) => p.name + ' <' + (p.email ?? '') + '>'),
  },
  Car: {
    make: required(String),
    model: required(String),
    year: optional(Int),
    price: required(Number, { default: 0 }),
    owner: required('Person', { reverse: 'cars' }),
    driver: optional('Person', { reverse: 'driving' }),
    tags: set('Tag'),
    extra: optional(Json<{ color?: string; tags?: string[]; n?: number }>()),
  },
  Tag: {
    name: primaryKey(String),
    cars: set('Car'),
  },
  Student: {
    $extends: 'Person',
    gpa: required(Number),
  },
  Product: {
    label: required(String),
    price: required(Decimal),
    cost: optional(Decimal),
  },
  Invoice: {
    number: required(Int),
    lines: set('Line'),
  },
  Line: {
    amount: required(Decimal),
    discount: optional(Decimal),
    invoice: required('Invoice'),
  },
})

export type Fn = (...args: never[]) => unknown
export const FLAVORS: Readonly<Record<'sqlite' | 'postgres' | 'mysql', SqlFlavor>> = { sqlite: sqliteFlavor, postgres: postgresFlavor, mysql: mysqlFlavor }

/** A lambda input. */
export function L(fn: Fn, params?: Record<string, unknown>): { fn: Fn; params: Record<string, unknown> | undefined } {
  return { fn, params }
}

export function spec(sources: string | string[], ops: QueryOp[] = [], terminal: QueryTerminal = { kind: 'rows' }): QuerySpec {
  return { sources: Array.isArray(sources) ? sources : [sources], ops, terminal }
}

export function filter(fn: Fn, params?: Record<string, unknown>): QueryOp {
  return { op: 'filter', lambda: L(fn, params) }
}

export function compile(s: QuerySpec, flavor: keyof typeof FLAVORS = 'sqlite'): CompiledQuery {
  return compileQuery(s, schema, FLAVORS[flavor])
}

/** A function whose `toString()` is exactly `src` (so messages quoting the lambda are predictable). */
export function fromSource(src: string): Fn {
  return new Function(`return (${src})`)() as Fn
}

/** The SQL of a spec for each flavor. */
export function sqlOf(s: QuerySpec): Record<keyof typeof FLAVORS, string> {
  return { sqlite: compile(s, 'sqlite').sql, postgres: compile(s, 'postgres').sql, mysql: compile(s, 'mysql').sql }
}

/** The message of the TranslationError that compiling `s` throws. */
export function errorOf(s: QuerySpec): string {
  try {
    compile(s)
  } catch (e) {
    if (e instanceof TranslationError) return e.message
    throw e
  }
  throw new Error('expected a TranslationError')
}
