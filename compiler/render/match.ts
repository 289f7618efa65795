/**
 * `startsWith`, `endsWith`, `includes`: case-sensitive, with `%` and `_` in
 * the needle matched literally (#8, #9). Where LIKE is case-sensitive the
 * needle becomes a LIKE pattern with `ESCAPE '!'`: a literal needle is
 * escaped and bound (`'50!%%'`), any other needle is escaped in SQL with
 * REPLACE. Where LIKE ignores case (SQLite) it is never used: prefix and
 * suffix compare a `substr`, contains tests `instr`.
 */
import type { SqlExpr } from '../lower/sql.js'
import type { Renderer } from './render.js'

type Match = Extract<SqlExpr, { k: 'match' }>

/** Escape `!`, `%`, `_` for `LIKE … ESCAPE '!'`. */
export function escapeLike(s: string): string {
  return s.replace(/[!%_]/g, (c) => `!${c}`)
}

function pattern(r: Renderer, m: Match): string {
  const before = m.mode === 'prefix' ? '' : '%'
  const after = m.mode === 'suffix' ? '' : '%'
  const n = m.needle
  if (n.k === 'param' && n.slot.from === 'const' && typeof n.slot.value === 'string') {
    return r.bind(before + escapeLike(n.slot.value) + after, 'string')
  }
  const f = r.flavor.functions
  const lit = (s: string): string => r.literal(s)
  let escaped = r.at(n, 9)
  for (const [from, to] of [['!', '!!'], ['%', '!%'], ['_', '!_']] as const) escaped = `REPLACE(${escaped}, ${lit(from)}, ${lit(to)})`
  const parts = [...(before === '' ? [] : [lit(before)]), escaped, ...(after === '' ? [] : [lit(after)])]
  return f.concat(parts, r)
}

export function renderMatch(r: Renderer, m: Match): { sql: string; prec: number } {
  const not = m.negated ? 'NOT ' : ''
  const s = r.at(m.arg, 5)
  if (r.flavor.caps.likeCaseSensitive) return { sql: `${s} ${not}LIKE ${pattern(r, m)} ESCAPE '!'`, prec: 4 }
  const f = r.flavor.functions
  const n = r.at(m.needle, 5)
  let test: string
  if (m.mode === 'contains') test = `${f.instr([s, n], r)} > 0`
  else if (m.mode === 'prefix') test = `${f.substr([s, '1', f.length([n], r)], r)} = ${n}`
  else test = `${f.substr([s, `${f.length([s], r)} - ${f.length([n], r)} + 1`], r)} = ${n}`
  return m.negated ? { sql: `NOT (${test})`, prec: 3 } : { sql: test, prec: 4 }
}
