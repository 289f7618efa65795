/**
 * Row variables. Each query source, flattened collection and subquery
 * element gets a SourceVar with an id unique in the compilation and a name
 * hint (the lambda parameter's name) that lowering uses for its SQL alias.
 */
import type { EntityInfo } from '../schema.js'
import type { TCtx } from './context.js'
import { node, type SourceVar } from './ir.js'

export function newVar(ctx: Pick<TCtx, 'ids'>, entity: EntityInfo, hint: string): SourceVar {
  return node({ id: ctx.ids.next++, entity, hint })
}
