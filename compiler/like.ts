/**
 * The meaning of `like(s, pattern)`, shared by the in-memory helper and
 * SQLite's registered `pinto_like` (SQLite's own LIKE ignores case): `%`
 * matches any run of characters, `_` one character, `\` makes the next
 * character literal; matching is case-sensitive, as LIKE is on PostgreSQL
 * and on MariaDB with a binary collation.
 */

const cache = new Map<string, RegExp>()

/** The regular expression for a LIKE pattern (cached). */
export function likeRegExp(pattern: string): RegExp {
  let re = cache.get(pattern)
  if (re !== undefined) return re
  let src = ''
  const chars = [...pattern]
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    if (c === '\\' && i + 1 < chars.length) src += escapeRe(chars[++i]!)
    else if (c === '%') src += '[^]*'
    else if (c === '_') src += '[^]'
    else src += escapeRe(c)
  }
  re = new RegExp(`^${src}$`, 'u')
  if (cache.size > 500) cache.clear()
  cache.set(pattern, re)
  return re
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
}

/** `s LIKE pattern` with null propagating as in SQL. */
export function likeMatch(s: string | null | undefined, pattern: string | null | undefined): boolean | null {
  if (s === null || s === undefined || pattern === null || pattern === undefined) return null
  return likeRegExp(pattern).test(s)
}
