/**
 * Small readers of SQL text: quoted identifiers (any quote character, doubled
 * inside), parenthesised identifier lists, and the string literals of an
 * expression. Migrations use them to read back the DDL pinto itself writes
 * and the CHECK expressions a catalog reports.
 */

/** The identifier at `i` (quoted with `quote`, or bare up to a space/paren) and the index after it. */
export function readIdentifier(text: string, i: number, quote: string): [string, number] {
  if (text[i] !== quote) {
    const m = /^[^\s(),]+/.exec(text.slice(i))
    const bare = m?.[0] ?? ''
    return [bare, i + bare.length]
  }
  let out = ''
  let k = i + 1
  for (;;) {
    const c = text[k]
    if (c === undefined) return [out, k]
    if (c === quote) {
      if (text[k + 1] === quote) {
        out += quote
        k += 2
        continue
      }
      return [out, k + 1]
    }
    out += c
    k++
  }
}

/** `("a", "b")` at `i` (spaces allowed before it): the names and the index after the closing parenthesis. */
export function readIdentifierList(text: string, i: number, quote: string): [string[], number] {
  let k = text.indexOf('(', i)
  const names: string[] = []
  k++
  for (;;) {
    while (text[k] === ' ' || text[k] === ',') k++
    if (text[k] === ')' || k >= text.length) return [names, k + 1]
    const [name, next] = readIdentifier(text, k, quote)
    names.push(name)
    k = next
  }
}

/** The string literals of an expression, unescaped and sorted (`'it''s'` → `it's`). */
export function stringLiterals(expr: string): string[] {
  const out: string[] = []
  for (const m of expr.matchAll(/'((?:[^'\\]|''|\\.)*)'/g)) out.push(m[1]!.replaceAll("''", "'").replaceAll('\\\\', '\\'))
  return out.sort()
}

/** The quote character a dialect uses for identifiers. */
export function quoteCharOf(quoteId: (name: string) => string): string {
  return quoteId('x')[0]!
}

/** Text of a catalog value (drivers return strings, Buffers or numbers). */
export function text(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  return String(value)
}

/** `'CASCADE'`, `'SET NULL'` or `'NO ACTION'` from a catalog's delete rule. */
export function normalizeOnDelete(rule: string): string {
  const r = rule.toUpperCase().replace('_', ' ')
  return r === 'CASCADE' || r === 'SET NULL' ? r : 'NO ACTION'
}
