/**
 * HAVING by alias, for flavors with `caps.havingAlias` (MySQL/MariaDB). In:
 * a SELECT as lowering built it; out: the same SELECT where every part of
 * HAVING that is a grouped, computed select item reads that item by its
 * alias, the item being given one:
 *
 *     SELECT p.age + ?, COUNT(*) … GROUP BY p.age + ? HAVING p.age + ? >= ? AND COUNT(*) > ?
 *     SELECT p.age + ? AS `bucket`, COUNT(*) … GROUP BY p.age + ? HAVING `bucket` >= ? AND COUNT(*) > ?
 *
 * MariaDB looks a HAVING's names up among grouped columns, aggregates and
 * select-list aliases only, so the first form fails ("Unknown column
 * 'p.age' in 'HAVING'"). A part is replaced when it is the same SQL tree as
 * an item that GROUP BY also lists: within a group it has that item's value.
 * Aggregates, subqueries and plain columns, constants and params are left
 * as they are (MariaDB reads them). An alias has no params, so the slots of
 * the replaced expression are simply not written (placeholders are numbered
 * as the text is finalized).
 *
 * The alias: the item's own (`c1` in a derived table), else the key it is
 * read into when that is a plain ASCII name (quoted all the same, so `order`
 * is fine), else `g<n>`; never, ignoring case as MariaDB does, the name of a
 * column the SELECT reads, nor another item's alias: MySQL resolves an
 * unqualified HAVING name that is also a grouped column to the column, and
 * MariaDB refuses it as ambiguous (a column of the FROM tables that is not
 * grouped loses to the alias on both).
 */
import { assertNever } from '../translate/ir.js'
import type { SelectItem, SqlExpr, SqlSelect } from '../lower/sql.js'

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,59}$/

/** Whether two SQL trees (plain data) are the same; values that are not plain data compare by identity. */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]))
  if (Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false
  const ka = Object.keys(a)
  const ra = a as Record<string, unknown>
  const rb = b as Record<string, unknown>
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(rb, k) && same(ra[k], rb[k]))
}

/** Lower-cased names of every column read anywhere in `node` (a SQL tree, nested queries included). */
function columnNames(node: unknown, out: Set<string>): Set<string> {
  if (typeof node !== 'object' || node === null) return out
  if (Array.isArray(node)) {
    for (const x of node) columnNames(x, out)
    return out
  }
  if (Object.getPrototypeOf(node) !== Object.prototype) return out
  const rec = node as Record<string, unknown>
  if (rec.k === 'col' && typeof rec.name === 'string') out.add(rec.name.toLowerCase())
  for (const v of Object.values(rec)) columnNames(v, out)
  return out
}

/** `e` with the parts `hit` replaces replaced, outside aggregates and nested queries. */
function rewrite(e: SqlExpr, hit: (e: SqlExpr) => SqlExpr | null): SqlExpr {
  const r = hit(e)
  if (r !== null) return r
  const f = (x: SqlExpr): SqlExpr => rewrite(x, hit)
  switch (e.k) {
    case 'col': case 'param': case 'kw': case 'num': case 'str': case 'ref':
    case 'agg': case 'exists': case 'subquery': case 'inSelect':
      return e
    case 'bin': case 'cmp': return { ...e, l: f(e.l), r: f(e.r) }
    case 'neg': case 'not': case 'isNull': case 'cast': case 'json': case 'asValue': case 'inParam': return { ...e, arg: f(e.arg) }
    case 'and': case 'or': return { ...e, items: e.items.map(f) }
    case 'fn': case 'raw': return { ...e, args: e.args.map(f) }
    case 'case': return { ...e, whens: e.whens.map((w) => ({ when: f(w.when), then: f(w.then) })), else: f(e.else) }
    case 'in': return { ...e, arg: f(e.arg), items: e.items.map(f) }
    case 'match': return { ...e, arg: f(e.arg), needle: f(e.needle) }
    default: return assertNever(e)
  }
}

/** Leaves MariaDB reads in HAVING as they are. */
function computed(e: SqlExpr): boolean {
  return e.k !== 'col' && e.k !== 'param' && e.k !== 'kw' && e.k !== 'num' && e.k !== 'str'
}

/**
 * The SELECT with the grouped expressions its HAVING repeats read through
 * their select items' aliases. With `mayAddItems` (a derived table or an
 * EXISTS: nothing reads its columns by position), a grouped expression it
 * does not select is added as an item to be read so (not under DISTINCT,
 * whose rows an extra column would change).
 */
export function havingByAlias(s: SqlSelect, mayAddItems: boolean): SqlSelect {
  if (s.having === null || s.groupBy.length === 0) return s
  const items: SelectItem[] = [...s.items]
  const grouped = items.map((it) => computed(it.expr) && s.groupBy.some((g) => same(g, it.expr)))
  if (mayAddItems && !s.distinct) {
    for (const g of s.groupBy) {
      if (!computed(g) || items.some((it) => same(it.expr, g))) continue
      items.push({ expr: g, alias: null })
      grouped.push(true)
    }
  }
  if (!grouped.includes(true)) return s
  const columns = columnNames(s, new Set())
  const taken = new Set(columns)
  for (const it of items) if (it.alias !== null) taken.add(it.alias.toLowerCase())
  let used = false
  const aliasOf = (i: number): string | null => {
    const it = items[i]!
    if (it.alias !== null) return columns.has(it.alias.toLowerCase()) ? null : it.alias
    const base = it.hint !== undefined && PLAIN_NAME.test(it.hint) ? it.hint : `g${i + 1}`
    let name = base
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}_${n}`
    taken.add(name.toLowerCase())
    items[i] = { ...it, alias: name }
    return name
  }
  const having = rewrite(s.having, (e) => {
    const i = items.findIndex((it, j) => grouped[j] && same(it.expr, e))
    if (i < 0) return null
    const name = aliasOf(i)
    if (name === null) return null
    used = true
    return { k: 'ref', name, nullable: e.nullable }
  })
  // Added items that HAVING did not read are dropped again (they have no alias).
  return used ? { ...s, items: items.filter((it, i) => i < s.items.length || it.alias !== null), having } : s
}
