/**
 * The primary-key columns of an entity expression: a row variable's key, a
 * foreign key read in place of a join, or the slots of an entity param
 * (one per key column, path ending in the key attribute's name).
 */
import type { EntityExpr } from '../translate/ir.js'
import type { LCtx } from './context.js'
import type { SqlExpr } from './sql.js'

export function entityPk(lc: LCtx, ref: EntityExpr): SqlExpr[] {
  if (ref.kind === 'entityRef') return lc.scope.refPk(ref)
  const out: SqlExpr[] = []
  const walk = (entity: EntityExpr['entity'], path: readonly (string | number)[]): void => {
    for (const a of entity.pk) {
      if (a.relation === 'toOne' && a.target !== null) walk(a.target, [...path, a.name])
      else out.push({ k: 'param', slot: { from: 'lambda', lambda: ref.lambda, path: [...path, a.name], type: a.type }, cast: null, nullable: false })
    }
  }
  walk(ref.entity, ref.path)
  return out
}
