/**
 * Single-table inheritance: rows of a subclass are the rows whose
 * discriminator names the subclass or one of its own subclasses.
 * `Student.select()` adds `classtype IN ('Student', …)`; the root of a
 * hierarchy needs no condition.
 */
import type { EntityInfo } from '../schema.js'
import type { SqlExpr } from './sql.js'

export function discriminatorFilter(entity: EntityInfo, alias: string): SqlExpr | null {
  const column = entity.root.discriminator
  if (column === null || entity === entity.root) return null
  const arg: SqlExpr = { k: 'col', alias, name: column, nullable: false }
  const names = entity.family.map((e) => e.name)
  if (names.length === 1) return { k: 'cmp', op: '=', l: arg, r: { k: 'str', value: names[0]!, nullable: false }, nullable: false }
  return { k: 'in', arg, items: names.map((value) => ({ k: 'str', value, nullable: false })), negated: false, nullable: false }
}
