/**
 * Rendering a `sql` fragment for one dialect: text parts concatenated,
 * fragments inlined, identifiers quoted by the flavor, and every value
 * replaced by the flavor's next placeholder and bound through `dialect.toDb`
 * with a type inferred from the JS value. Values of other kinds (functions,
 * class instances, Maps, entity objects …) are a TypeError, never text.
 */
import { OrmTypeError } from '../../compiler/errors.js'
import type { ScalarType } from '../../compiler/schema.js'
import { boundType } from '../../compiler/translate/param-shape.js'
import type { Dialect } from '../../dialects/dialect.js'
import { SqlFragment, SqlIdentifier } from './template.js'

export interface RenderedSql {
  readonly sql: string
  readonly params: unknown[]
}

/** The column type a JS value is bound as, or a TypeError naming the value's kind. */
export function inferType(value: unknown, position: number): ScalarType {
  const type = boundType(value)
  if (type !== null) return type
  const kind = typeof value === 'object' && value !== null ? (value.constructor?.name ?? 'object') : typeof value
  throw new OrmTypeError(`sql\`…\` value #${position} is a ${kind}: only strings, numbers, bigints, booleans, Dates, Uint8Arrays, null and plain JSON objects or arrays can be bound (use sql.id() for identifiers and nested sql\`…\` for SQL text)`)
}

/**
 * The SQL text and bound parameters of a fragment for `dialect`.
 *
 *     renderSql(sql`SELECT * FROM ${sql.id('my "t"')} WHERE a = ${1} AND ${sql`b = ${'x'}`}`, postgresDialect)
 *     // { sql: 'SELECT * FROM "my ""t""" WHERE a = $1 AND b = $2', params: [1, 'x'] }
 */
export function renderSql(fragment: SqlFragment, dialect: Dialect): RenderedSql {
  const params: unknown[] = []
  const flavor = dialect.flavor
  const walk = (f: SqlFragment, depth: number): string => {
    if (depth > 64) throw new OrmTypeError('sql`…` fragments nest more than 64 deep (a fragment inside itself?)')
    let out = f.strings[0] ?? ''
    f.values.forEach((value, i) => {
      if (value instanceof SqlFragment) out += walk(value, depth + 1)
      else if (value instanceof SqlIdentifier) out += flavor.quoteId(value.name)
      else if (value === null || value === undefined) {
        params.push(null)
        out += flavor.placeholder(params.length)
      } else {
        const type = inferType(value, params.length + 1)
        params.push(dialect.toDb(value, type))
        out += flavor.placeholder(params.length)
      }
      out += f.strings[i + 1] ?? ''
    })
    return out
  }
  return { sql: walk(fragment, 0), params }
}
