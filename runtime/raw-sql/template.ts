/**
 * The `sql` tagged template: a piece of SQL text with holes, kept as data
 * until it runs. Each hole is a value (bound as a parameter), an identifier
 * made by `sql.id(name)` (quoted), or another fragment (nested in place).
 * Nothing is rendered here: the same fragment renders to `?` on SQLite and
 * MySQL and to `$1, $2 …` on PostgreSQL when it runs (see render.ts).
 *
 *     const minAge = 18
 *     const q = sql`SELECT ${sql.id('name')} FROM person WHERE age > ${minAge}`
 *     // PostgreSQL: SELECT "name" FROM person WHERE age > $1   params [18]
 */
import { OrmTypeError } from '../../compiler/errors.js'

/** An identifier to quote (`sql.id('order')` → `"order"` / `` `order` ``). */
export class SqlIdentifier {
  constructor(readonly name: string) {}
}

/** A fragment of SQL: text parts with values, identifiers and fragments between them. */
export class SqlFragment {
  constructor(readonly strings: readonly string[], readonly values: readonly unknown[]) {}
}

export interface SqlTag {
  (strings: TemplateStringsArray, ...values: unknown[]): SqlFragment
  /** A quoted identifier: quotes inside the name are doubled. */
  id(name: string): SqlIdentifier
  /** Items joined with a separator (`, ` by default): each a value (bound), an identifier or a fragment. */
  join(items: readonly unknown[], separator?: string): SqlFragment
}

function id(name: string): SqlIdentifier {
  if (typeof name !== 'string' || name === '') throw new OrmTypeError(`sql.id takes a non-empty string, not ${typeof name === 'string' ? "''" : typeof name}`)
  return new SqlIdentifier(name)
}

function join(items: readonly unknown[], separator = ', '): SqlFragment {
  if (!Array.isArray(items)) throw new OrmTypeError('sql.join takes an array of values, identifiers or fragments')
  if (items.length === 0) return new SqlFragment([''], [])
  return new SqlFragment(['', ...items.slice(1).map(() => separator), ''], items)
}

/**
 * Build a fragment: ``sql`SELECT * FROM person WHERE id = ${id}` ``.
 * Values become bound parameters, never text.
 */
export const sql: SqlTag = Object.assign(
  (strings: TemplateStringsArray, ...values: unknown[]): SqlFragment => {
    if (!Array.isArray(strings) || !Array.isArray((strings as { raw?: unknown }).raw)) {
      throw new OrmTypeError('sql is a tagged template: write sql`SELECT …`, not sql(…)')
    }
    return new SqlFragment([...strings], values)
  },
  { id, join },
)

/** Throw unless `query` is a fragment made by `sql`: plain strings would invite SQL injection. */
export function assertFragment(query: unknown, where: string): SqlFragment {
  if (query instanceof SqlFragment) return query
  throw new OrmTypeError(`${where} takes a sql\`…\` template (import { sql } from 'pinto'), not ${query === null ? 'null' : typeof query}: values must be bound, not pasted into the text`)
}
