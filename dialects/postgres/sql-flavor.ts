/**
 * PostgreSQL's SQL flavor: double-quoted identifiers, `$n` placeholders.
 * Params whose type the position leaves open are cast (PostgreSQL infers a
 * param's type from its context and would read 0.5 as an integer next to an
 * integer column); date parts are read in UTC whatever the session's time
 * zone; NULLs sort last ascending by default, so ORDER BY says NULLS FIRST.
 * A long `includes` list is one typed array param: `x = ANY(CAST($1 AS INTEGER[]))`.
 */
import type { SqlFlavor } from '../../compiler/sql-flavor.js'
import type { ScalarType } from '../../compiler/schema.js'
import { JS_WHITESPACE, quoteString, standardFunctions } from '../../compiler/render/standard-functions.js'

const CASTS: Partial<Record<ScalarType, string>> = {
  number: 'DOUBLE PRECISION', int: 'INTEGER', bigint: 'BIGINT', boolean: 'BOOLEAN', date: 'TIMESTAMPTZ',
  decimal: 'NUMERIC', uuid: 'UUID', bytes: 'BYTEA', json: 'JSONB', dateonly: 'DATE',
}

const utc = (field: string) => (a: readonly string[]): string => `CAST(EXTRACT(${field} FROM ${a[0]} AT TIME ZONE 'UTC') AS INTEGER)`

export const postgresFlavor: SqlFlavor = {
  name: 'postgres',
  caps: {
    returning: true, forUpdate: true, forUpdateNowait: true, forUpdateSkipLocked: true, nullsOrdering: true, maxParams: 65535,
    nullsSortLow: false, likeCaseSensitive: true, forUpdateOf: true, dmlSubqueryNeedsDerived: false, batchUpdate: 'from-values', numberedParams: true,
    havingAlias: false,
  },
  quoteId: (name) => `"${name.replaceAll('"', '""')}"`,
  placeholder: (index) => `$${index}`,
  functions: {
    ...standardFunctions,
    trim: (a, w) => `BTRIM(${a[0]}, ${w.bind(JS_WHITESPACE, 'string')})`,
    instr: (a) => `STRPOS(${a[0]}, ${a[1]})`,
    year: utc('YEAR'),
    month: (a) => `(${utc('MONTH')(a)} - 1)`,
    day: utc('DAY'),
    weekday: utc('DOW'),
    hours: utc('HOUR'),
    minutes: utc('MINUTE'),
    seconds: (a) => `CAST(FLOOR(EXTRACT(SECOND FROM ${a[0]} AT TIME ZONE 'UTC')) AS INTEGER)`,
    milliseconds: (a) => `(CAST(FLOOR(EXTRACT(MILLISECONDS FROM ${a[0]} AT TIME ZONE 'UTC')) AS INTEGER) % 1000)`,
  },
  castTypes: { double: 'DOUBLE PRECISION', int: 'INTEGER', text: 'TEXT' },
  paramCast: (type) => CASTS[type] ?? null,
  limitOffset: (limit, offset) => (limit === null ? '' : ` LIMIT ${limit}`) + (offset === null ? '' : ` OFFSET ${offset}`),
  stringLiteral: quoteString,
  json: (arg, path, mode, w) => {
    const keys = path.map((k) => w.bind(String(k), 'string')).join(', ')
    if (mode === 'isNull') return `(JSONB_TYPEOF(${arg} #> CAST(ARRAY[${keys}] AS TEXT[])) = 'null')`
    return `(${arg} ${mode === 'text' ? '#>>' : '#>'} CAST(ARRAY[${keys}] AS TEXT[]))`
  },
  // node-postgres sends a JS array as an array literal; the cast gives it the compared type (text for strings).
  listParam: 'array',
  inList: (arg, list, type) => `${arg} = ANY(CAST(${list} AS ${CASTS[type] ?? 'TEXT'}[]))`,
  groupConcat: (arg, sep, distinct) => `STRING_AGG(${distinct ? 'DISTINCT ' : ''}CAST(${arg} AS TEXT), ${quoteString(sep)})`,
}
