/**
 * SQLite's SQL flavor: double-quoted identifiers, `?` placeholders. Dates
 * are fixed-width UTC ISO text (`YYYY-MM-DDTHH:MM:SS.sssZ`), so date parts
 * are read with `SUBSTR`; LIKE ignores case, so string matching uses
 * `SUBSTR`/`INSTR` and `like()` a registered function; `upper`/`lower` are
 * the registered Unicode-aware `pinto_upper`/`pinto_lower` (#20), and `%`
 * on doubles is the registered `pinto_fmod` (JavaScript's `%`, #3); decimals
 * (canonical text) are compared, ordered and taken by MIN/MAX through the
 * registered `pinto_deckey`, whose text order is numeric order, and summed
 * and averaged exactly by the registered aggregates `pinto_decsum` and
 * `pinto_decavg` (SQLite's SUM/AVG would read them as doubles). A long
 * `includes` list is one JSON text param read with `json_each`.
 */
import type { SqlFlavor } from '../../compiler/sql-flavor.js'
import { jsonPathString, quoteString, standardFunctions } from '../../compiler/render/standard-functions.js'

const part = (start: number, len: number) => (a: readonly string[]): string => `CAST(SUBSTR(${a[0]}, ${start}, ${len}) AS INTEGER)`

export const sqliteFlavor: SqlFlavor = {
  name: 'sqlite',
  caps: {
    returning: true, forUpdate: false, forUpdateNowait: false, forUpdateSkipLocked: false, nullsOrdering: true, maxParams: 32766,
    nullsSortLow: true, likeCaseSensitive: false, forUpdateOf: false, dmlSubqueryNeedsDerived: false, batchUpdate: 'from-values', numberedParams: false,
    havingAlias: false,
  },
  quoteId: (name) => `"${name.replaceAll('"', '""')}"`,
  placeholder: () => '?',
  functions: {
    ...standardFunctions,
    lower: (a) => `pinto_lower(${a[0]})`,
    upper: (a) => `pinto_upper(${a[0]})`,
    length: (a) => `LENGTH(${a[0]})`,
    right: (a) => `SUBSTR(${a[0]}, -(${a[1]}))`,
    least: (a) => `MIN(${a.join(', ')})`,
    greatest: (a) => `MAX(${a.join(', ')})`,
    year: part(1, 4),
    month: (a) => `(CAST(SUBSTR(${a[0]}, 6, 2) AS INTEGER) - 1)`,
    day: part(9, 2),
    weekday: (a) => `CAST(STRFTIME('%w', ${a[0]}) AS INTEGER)`,
    hours: part(12, 2),
    minutes: part(15, 2),
    seconds: part(18, 2),
    milliseconds: part(21, 3),
    isNotDistinct: (a) => `(${a[0]} IS ${a[1]})`,
    isDistinct: (a) => `(${a[0]} IS NOT ${a[1]})`,
    like: (a) => `pinto_like(${a[0]}, ${a[1]})`,
    fmod: (a) => `pinto_fmod(${a[0]}, ${a[1]})`,
    // better-sqlite3 binds every JS number as REAL, so `p.age * ?` is 34.0: made an INTEGER before it is printed.
    intText: (a) => `CAST(CAST(${a[0]} AS INTEGER) AS TEXT)`,
    // Decimals are canonical text: compared, ordered and taken by MIN/MAX through a key in numeric order.
    decKey: (a) => `pinto_deckey(${a[0]})`,
    decValue: (a) => `pinto_decval(${a[0]})`,
    // SUM/AVG would read the text as doubles: registered aggregates add the decimals exactly.
    decSum: (a) => `pinto_decsum(${a[0]})`,
    decAvg: (a) => `pinto_decavg(${a[0]})`,
  },
  castTypes: { double: 'REAL', int: 'INTEGER', text: 'TEXT' },
  paramCast: () => null,
  limitOffset: (limit, offset) => (offset === null ? ` LIMIT ${limit}` : ` LIMIT ${limit ?? '-1'} OFFSET ${offset}`),
  stringLiteral: quoteString,
  json: (arg, path, mode, w) => {
    const at = w.bind(jsonPathString(path), 'string')
    if (mode === 'text') return `JSON_EXTRACT(${arg}, ${at})`
    if (mode === 'isNull') return `(JSON_TYPE(${arg}, ${at}) = 'null')`
    return `(${arg} -> ${at})`
  },
  // JSON numbers come out as INTEGER/REAL, strings as TEXT; the compared column's affinity applies.
  listParam: 'json',
  inList: (arg, list) => `${arg} IN (SELECT value FROM json_each(${list}))`,
  groupConcat: (arg, sep, distinct) => (distinct ? `GROUP_CONCAT(DISTINCT ${arg})` : `GROUP_CONCAT(${arg}, ${quoteString(sep)})`),
}
