/**
 * QuerySpec → QueryIR. The builder calls of a query are folded in order:
 * `filter` narrows the sources (or, after a `map`, the mapped value; HAVING
 * once the map aggregates), `where` always narrows the sources, `map`
 * replaces the value (a collection is flattened into the rows), `orderBy`
 * replaces the order, `joinLoad` names to-one objects to select beside the
 * rows (for the `rows` terminal only). Each lambda is parsed once per text
 * and translated with its parameters bound to the current value and its
 * params object.
 */
import { lambdaError } from '../diagnostics.js'
import { TranslationError } from '../errors.js'
import type { LambdaUse } from './bind.js'
import type { QuerySpec } from '../query-spec.js'
import type { EntityInfo, SchemaInfo } from '../schema.js'
import { bindLambda, type QueryEnv } from './bind.js'
import { node, type Coll, type Expr, type OrderKey, type QueryIR, type SourceVar, type TerminalIR, type Value } from './ir.js'
import { elemValue, varRef } from './collections.js'
import { newVar } from './vars.js'
import { hasAgg, orderKeys, terminalIR, toValue } from './query-parts.js'
import { loadRefs } from './join-load.js'
import type { TVal } from './values.js'

interface State {
  where: Expr[]
  having: Expr[]
  flat: Coll[]
  mapped: TVal | null
  grouped: boolean
  order: OrderKey[] | null
  defaultOrder: boolean
  distinct: boolean
  limit: boolean
  offset: boolean
  forUpdate: { nowait: boolean; skipLocked: boolean } | null
  random: number | null
  loads: (readonly string[])[]
}

function entityOf(schema: SchemaInfo, name: string): EntityInfo {
  const e = schema.entities.get(name)
  if (e === undefined) throw new TranslationError(`Unknown entity '${name}' in a query.`)
  return e
}

/** The name the first lambda gives source `i`, for readable SQL aliases. */
function sourceHint(spec: QuerySpec, lambdas: readonly LambdaUse[], i: number, entity: EntityInfo): string {
  let k = 0
  for (const op of spec.ops) {
    if (op.op === 'map') break
    if ('lambda' in op) {
      const p = lambdas[k]?.parsed.params[i]
      if (p !== undefined && (op.op === 'filter' || op.op === 'where' || op.op === 'orderBy')) return p.name
      k++
    }
  }
  return entity.name.charAt(0).toLowerCase()
}

export function translateQuery(spec: QuerySpec, schema: SchemaInfo, lambdas: readonly LambdaUse[]): QueryIR {
  if (spec.sources.length === 0) throw new TranslationError('A query needs at least one source entity.')
  const env: QueryEnv = { schema, ids: { next: 1 }, lambdas }
  const entities = spec.sources.map((n) => entityOf(schema, n))
  const sources: SourceVar[] = entities.map((e, i) => newVar(env, e, sourceHint(spec, lambdas, i, e)))
  const sourceVals: TVal[] = sources.map((v) => ({ t: 'entity', ref: varRef(v) }))
  const first = spec.sources.length === 1 ? `${spec.sources[0]}.select` : 'select'
  const st: State = { where: [], having: [], flat: [], mapped: null, grouped: false, order: null, defaultOrder: false, distinct: false, limit: false, offset: false, forUpdate: null, random: null, loads: [] }
  let k = 0
  for (const [i, op] of spec.ops.entries()) {
    const current = (): readonly TVal[] => (st.mapped === null ? sourceVals : [st.mapped])
    switch (op.op) {
      case 'filter': {
        const ctx = bindLambda(env, k, i === 0 ? first : '.filter', current(), st.grouped)
        const pred = ctx.tr.pred(ctx, ctx.lambda.src.body)
        ;(st.grouped ? st.having : st.where).push(pred)
        k++
        break
      }
      case 'where': {
        const ctx = bindLambda(env, k++, '.where', sourceVals, false)
        st.where.push(ctx.tr.pred(ctx, ctx.lambda.src.body))
        break
      }
      case 'map': {
        const ctx = bindLambda(env, k++, '.map', current(), !st.grouped)
        const v = ctx.tr.expr(ctx, ctx.lambda.src.body)
        if (v.t === 'coll') {
          if (st.grouped) throw lambdaError(ctx.lambda.src, ctx.lambda.src.body, 'A collection cannot be flattened after an aggregating map.')
          st.flat.push(v.coll)
          st.where.push(...v.coll.filters)
          st.mapped = elemValue(node({ ...v.coll, filters: [] }))
        } else {
          st.mapped = v
          toValue(ctx, v, ctx.lambda.src.body)
          if (hasAgg(v)) st.grouped = true
        }
        break
      }
      case 'mapAttr': {
        const cur = current()
        const ref = cur.length === 1 && cur[0]!.t === 'entity' ? cur[0]!.ref : null
        const attr = ref?.entity.attrs.get(op.attr)
        if (ref === null || ref.kind !== 'entityRef' || attr === undefined || (attr.relation !== 'toMany' && attr.relation !== 'manyToMany') || st.grouped) {
          throw new TranslationError(`mapAttr('${op.attr}') needs a single entity value with that collection attribute.`)
        }
        const coll = node({ elem: newVar(env, attr.target!, attr.name), owner: { attr, from: ref }, filters: [], map: null, distinct: false })
        st.flat.push(coll)
        st.mapped = elemValue(coll)
        break
      }
      case 'orderBy': {
        const ctx = bindLambda(env, k++, '.orderBy', current(), st.grouped)
        st.order = orderKeys(ctx, ctx.tr.expr(ctx, ctx.lambda.src.body), ctx.lambda.src.body)
        st.random = null
        break
      }
      case 'defaultOrder': st.defaultOrder = true; break
      case 'distinct': st.distinct = op.distinct; break
      case 'limit': st.limit = op.limit !== null; st.offset = op.offset > 0; break
      case 'forUpdate': st.forUpdate = { nowait: op.nowait, skipLocked: op.skipLocked }; break
      case 'random': st.random = op.n; st.order = null; break
      case 'joinLoad': st.loads.push(op.path); break
    }
  }
  const value: Value = st.mapped !== null ? toValue(null, st.mapped, null) : sources.length === 1 ? { kind: 'entity', ref: varRef(sources[0]!) } : { kind: 'tuple', items: sources.map((v) => ({ kind: 'entity', ref: varRef(v) })) }
  const terminal: TerminalIR = terminalIR(env, spec.terminal, k, st.mapped, sourceVals)
  return node({
    sources, flat: st.flat, where: st.where, value, grouped: st.grouped, having: st.having, order: st.order,
    defaultOrder: st.defaultOrder, distinct: st.distinct, limit: st.limit, offset: st.offset,
    forUpdate: st.forUpdate, random: st.random, terminal,
    loads: spec.terminal.kind === 'rows' ? loadRefs(value, st.loads) : [],
  })
}
