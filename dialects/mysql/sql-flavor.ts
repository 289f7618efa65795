/**
 * MySQL/MariaDB's SQL flavor: backquoted identifiers, `?` placeholders.
 * `||` is logical OR here, so text is joined with CONCAT (#18); the
 * connection and tables use a binary no-pad collation, so `=` and LIKE are
 * exact (JSON text is cast to the connection's collation to compare with
 * it); string literals escape backslashes (#35); `trim` uses a regular
 * expression for JavaScript's whitespace set (#30). A long `includes` list
 * is one JSON text param read with JSON_TABLE.
 */
import type { SqlFlavor } from '../../compiler/sql-flavor.js'
import type { ScalarType } from '../../compiler/schema.js'
import { jsonPathString, standardFunctions } from '../../compiler/render/standard-functions.js'

const TRIM_PATTERN = (() => {
  const set = '\\x{9}-\\x{D}\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}'
  return `^[${set}]+|[${set}]+$`
})()

/**
 * JSON_TABLE column types for a long `includes` list, by the compared type:
 * wide enough that no value is truncated (a truncated value could match),
 * text in the binary no-pad collation of pinto's tables and connections.
 */
const LIST_TYPES: Partial<Record<ScalarType, string>> = {
  int: 'BIGINT', bigint: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATETIME(3)', dateonly: 'DATE', decimal: 'DECIMAL(65,30)',
}
const LIST_TEXT = 'LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin'

/** MySQL reads backslash escapes in string literals (unless NO_BACKSLASH_ESCAPES), so backslashes are doubled too (#35); DDL uses it as well. */
function literal(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
}

export const mysqlFlavor: SqlFlavor = {
  name: 'mysql',
  caps: {
    returning: false, forUpdate: true, forUpdateNowait: true, forUpdateSkipLocked: true, nullsOrdering: false, maxParams: 65535,
    nullsSortLow: true, likeCaseSensitive: true, forUpdateOf: false, dmlSubqueryNeedsDerived: true, batchUpdate: 'join-union', numberedParams: false,
    havingAlias: true,
  },
  quoteId: (name) => `\`${name.replaceAll('`', '``')}\``,
  placeholder: () => '?',
  functions: {
    ...standardFunctions,
    trim: (a, w) => `REGEXP_REPLACE(${a[0]}, ${w.bind(TRIM_PATTERN, 'string')}, '')`,
    trunc: (a) => `TRUNCATE(${a[0]}, 0)`,
    concat: (a) => `CONCAT(${a.join(', ')})`,
    fmod: (a) => `MOD(${a[0]}, ${a[1]})`,
    random: () => 'RAND()',
    year: (a) => `YEAR(${a[0]})`,
    month: (a) => `(MONTH(${a[0]}) - 1)`,
    day: (a) => `DAYOFMONTH(${a[0]})`,
    weekday: (a) => `(DAYOFWEEK(${a[0]}) - 1)`,
    hours: (a) => `HOUR(${a[0]})`,
    minutes: (a) => `MINUTE(${a[0]})`,
    seconds: (a) => `SECOND(${a[0]})`,
    milliseconds: (a) => `FLOOR(MICROSECOND(${a[0]}) / 1000)`,
    isNotDistinct: (a) => `(${a[0]} <=> ${a[1]})`,
    isDistinct: (a) => `(NOT (${a[0]} <=> ${a[1]}))`,
    intText: (a) => `CAST(${a[0]} AS CHAR)`,
  },
  castTypes: { double: 'DOUBLE', int: 'SIGNED', text: 'CHAR' },
  paramCast: () => null,
  limitOffset: (limit, offset) => (offset === null ? ` LIMIT ${limit}` : ` LIMIT ${limit ?? '18446744073709551615'} OFFSET ${offset}`),
  stringLiteral: literal,
  json: (arg, path, mode, w) => {
    const at = w.bind(jsonPathString(path), 'string')
    // JSON_VALUE gives NULL for a JSON null (JSON_UNQUOTE(JSON_EXTRACT(…)) gives the text 'null').
    if (mode === 'text') return `CAST(JSON_VALUE(${arg}, ${at}) AS CHAR)`
    if (mode === 'isNull') return `(JSON_TYPE(JSON_EXTRACT(${arg}, ${at})) = 'NULL')`
    return `JSON_EXTRACT(${arg}, ${at})`
  },
  listParam: 'json',
  inList: (arg, list, type) => `${arg} IN (SELECT j.v FROM JSON_TABLE(${list}, '$[*]' COLUMNS (v ${LIST_TYPES[type] ?? LIST_TEXT} PATH '$')) AS j)`,
  groupConcat: (arg, sep, distinct) => `GROUP_CONCAT(${distinct ? 'DISTINCT ' : ''}${arg} SEPARATOR ${literal(sep)})`,
}
