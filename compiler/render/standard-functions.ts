/**
 * The function table most databases share (ANSI spellings), and helpers the
 * flavors use to build theirs: JavaScript's whitespace set for `trim`
 * (#30), JSON path strings, quoted string literals. Each flavor spreads
 * `standardFunctions` and overrides what it spells differently.
 */
import type { SqlFunctionTable } from '../sql-flavor.js'

/** The characters `String.prototype.trim` removes. */
export const JS_WHITESPACE = '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'

/** A quoted SQL string literal, quotes doubled. */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/** `$.a.b[0]` / `$."odd key"`: the JSON path syntax of SQLite and MySQL. */
export function jsonPathString(path: readonly (string | number)[]): string {
  return '$' + path.map((k) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `.${k}` : `.${JSON.stringify(k)}`)).join('')
}

const call = (name: string) => (a: readonly string[]): string => `${name}(${a.join(', ')})`

export const standardFunctions: SqlFunctionTable = {
  lower: call('LOWER'),
  upper: call('UPPER'),
  trim: (a, w) => `TRIM(${a[0]}, ${w.bind(JS_WHITESPACE, 'string')})`,
  length: call('CHAR_LENGTH'),
  instr: call('INSTR'),
  substr: call('SUBSTR'),
  right: call('RIGHT'),
  abs: call('ABS'),
  floor: call('FLOOR'),
  ceil: call('CEIL'),
  trunc: call('TRUNC'),
  least: call('LEAST'),
  greatest: call('GREATEST'),
  nullif: call('NULLIF'),
  coalesce: call('COALESCE'),
  concat: (a) => `(${a.join(' || ')})`,
  fmod: (a) => `(${a[0]} - ${a[1]} * TRUNC(${a[0]} / ${a[1]}))`,
  random: () => 'RANDOM()',
  year: (a) => `EXTRACT(YEAR FROM ${a[0]})`,
  month: (a) => `(EXTRACT(MONTH FROM ${a[0]}) - 1)`,
  day: (a) => `EXTRACT(DAY FROM ${a[0]})`,
  weekday: (a) => `EXTRACT(DOW FROM ${a[0]})`,
  hours: (a) => `EXTRACT(HOUR FROM ${a[0]})`,
  minutes: (a) => `EXTRACT(MINUTE FROM ${a[0]})`,
  seconds: (a) => `FLOOR(EXTRACT(SECOND FROM ${a[0]}))`,
  milliseconds: (a) => `MOD(FLOOR(EXTRACT(MILLISECONDS FROM ${a[0]})), 1000)`,
  isNotDistinct: (a) => `(${a[0]} IS NOT DISTINCT FROM ${a[1]})`,
  isDistinct: (a) => `(${a[0]} IS DISTINCT FROM ${a[1]})`,
  like: (a) => `(${a[0]} LIKE ${a[1]})`,
  intText: (a) => `CAST(${a[0]} AS TEXT)`,
  decKey: (a) => a[0]!,
  decValue: (a) => a[0]!,
  decSum: call('SUM'),
  decAvg: call('AVG'),
}
