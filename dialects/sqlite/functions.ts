/**
 * Scalar functions registered on every SQLite connection, so that generated
 * SQL can call JavaScript's semantics where SQLite's built-ins differ:
 * `upper`/`lower` only fold ASCII, JavaScript folds all of Unicode
 * (SEMANTICS #20); `%` on doubles is JavaScript's (SEMANTICS #3). Add an entry here and the driver registers it.
 */

import { likeMatch } from '../../compiler/like.js'

export interface SqliteFunction {
  readonly name: string
  readonly fn: (...args: never[]) => unknown
  /** Same arguments, same result: lets SQLite use it in indexes and constant-fold it. */
  readonly deterministic: boolean
  /** Takes any number of arguments (otherwise `fn.length` of them). */
  readonly varargs?: boolean
}

export const sqliteFunctions: readonly SqliteFunction[] = [
  { name: 'pinto_upper', fn: (s: unknown) => (typeof s === 'string' ? s.toUpperCase() : s), deterministic: true },
  { name: 'pinto_lower', fn: (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : s), deterministic: true },
  // JavaScript's % on doubles (C fmod): exact, where a - b * trunc(a / b) is off when a / b rounds to a whole number.
  { name: 'pinto_fmod', fn: (a: unknown, b: unknown) => (a === null || b === null ? null : Number(a) % Number(b)), deterministic: true },
  // Case-sensitive LIKE for the like() helper (SQLite's LIKE ignores case); 1/0, or null when an argument is null.
  { name: 'pinto_like', fn: (s: unknown, p: unknown) => (typeof s === 'string' && typeof p === 'string' ? (likeMatch(s, p) === true ? 1 : 0) : null), deterministic: true },
]
