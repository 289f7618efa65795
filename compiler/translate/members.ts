/**
 * Member access: `p.age` (a column), `c.owner.name` (to-one navigation: a
 * join decided at lowering), `p.cars` (a collection), `p.extra.tags[0]` (a
 * JSON path), `s.length`, `$.minAge` and `arr[0]` on params, `r.n` on a
 * mapped object, and `pinto_1.count` (a helper reached through a compiled
 * module namespace). Computed attributes are inlined from their lambda.
 */
import type { MemberExpression, Node } from '../parse/estree.js'
import type { AttrInfo } from '../schema.js'
import { fail, tx, type TCtx } from './context.js'
import { inlineComputed } from './computed.js'
import { isHelperName, resolveName } from './identifiers.js'
import { node, type EntityExpr, type Expr } from './ir.js'
import { paramMember } from './params.js'
import { newVar } from './vars.js'
import { aType, isText } from './types.js'
import type { TVal } from './values.js'

/** The key of `a.b` / `a['b']` / `a[0]`, or fail for a computed key. */
export function propertyKey(ctx: TCtx, n: MemberExpression): string | number {
  const p = n.property
  if (!n.computed && p.type === 'Identifier') return p.name
  if (n.computed && p.type === 'Literal' && (typeof p.value === 'string' || typeof p.value === 'number')) return p.value
  throw fail(ctx, p, 'Only fixed property names and indexes can be read in a lambda.', 'Write p.attr or arr[0].')
}

export function translateMember(ctx: TCtx, n: MemberExpression): TVal {
  const key = propertyKey(ctx, n)
  if (n.object.type === 'Identifier' && typeof key === 'string' && isHelperName(key) && resolveName(ctx, n.object.name) === null) {
    return { t: 'helper', name: key }
  }
  if (n.object.type === 'Super') throw fail(ctx, n.object, '`super` cannot be used in a query lambda.')
  return member(ctx, tx(ctx, n.object), key, n)
}

/** `obj.key` for any translated object. */
export function member(ctx: TCtx, obj: TVal, key: string | number, at: MemberExpression): TVal {
  switch (obj.t) {
    case 'entity': return attrAccess(ctx, obj.ref, key, at)
    case 'params': return paramMember(ctx, obj, key, at)
    case 'expr': return exprMember(ctx, obj.expr, key, at)
    case 'tuple': {
      if (key === 'length') return { t: 'expr', expr: node({ kind: 'const', type: 'int', nullable: false, value: obj.items.length }) }
      const item = typeof key === 'number' ? obj.items[key] : undefined
      if (item === undefined) throw fail(ctx, at.property, `The array has no item ${String(key)}.`)
      return item
    }
    case 'object': {
      const i = obj.keys.indexOf(String(key))
      if (i < 0) throw fail(ctx, at.property, `The object has no key '${key}' (keys: ${obj.keys.join(', ')}).`)
      return obj.items[i]!
    }
    case 'coll':
      if (key === 'length') return { t: 'expr', expr: node({ kind: 'collAgg', fn: 'size', type: 'int', nullable: false, coll: obj.coll, sep: null }) }
      throw fail(ctx, at.property, `Unknown property '${key}' of a collection.`, 'Collections have .length and the methods filter, map, some, every, includes.')
    case 'global':
      if (obj.name === 'Math' && typeof key === 'string' && ['PI', 'E'].includes(key)) {
        return { t: 'expr', expr: node({ kind: 'const', type: 'number', nullable: false, value: key === 'PI' ? Math.PI : Math.E }) }
      }
      throw fail(ctx, at, `${obj.name}.${key} cannot be used here.`, obj.name === 'Math' ? 'Call Math.abs, round, floor, ceil, trunc, min or max.' : 'Dates are compared directly, or read with getFullYear(), getMonth() …')
    case 'entityClass':
      throw fail(ctx, at.property, `${obj.entity.name}.${key} cannot be used here.`, `Write ${obj.entity.name}.select(x => …) with .exists() or .count().`)
    default:
      throw fail(ctx, at, `Cannot read '${key}' here.`)
  }
}

function exprMember(ctx: TCtx, e: Expr, key: string | number, at: MemberExpression): TVal {
  if (e.type === 'json' || e.kind === 'json') {
    const base = e.kind === 'json' ? e.arg : e
    const path = e.kind === 'json' ? [...e.path, key] : [key]
    return { t: 'expr', expr: node({ kind: 'json', type: 'unknown', nullable: true, arg: base, path }) }
  }
  if (key === 'length' && (isText(e.type) || e.type === 'unknown')) {
    return { t: 'expr', expr: node({ kind: 'fn', fn: 'length', type: 'int', nullable: e.nullable, args: [e] }) }
  }
  throw fail(ctx, at.property, `Unknown property '${key}' of ${aType(e.type)} value.`, isText(e.type) ? 'Strings have .length and methods such as startsWith, toLowerCase, slice.' : undefined)
}

/** `ref.key` on an entity. */
export function attrAccess(ctx: TCtx, ref: EntityExpr, key: string | number, at: Node & { property?: Node }): TVal {
  const entity = ref.entity
  const attr = typeof key === 'string' ? entity.attrs.get(key) : undefined
  if (attr === undefined) {
    throw fail(ctx, at.property ?? at, `${entity.name} has no attribute '${key}'.`, `Attributes of ${entity.name}: ${[...entity.attrs.keys()].join(', ')}.`)
  }
  if (ref.kind === 'entityParam') {
    if (attr.relation === 'none' && attr.type !== null && entity.pk.includes(attr)) {
      return { t: 'expr', expr: node({ kind: 'param', type: attr.type, nullable: false, lambda: ref.lambda, path: [...ref.path, attr.name] }) }
    }
    throw fail(ctx, at, `Only the primary key of an entity param can be read in a lambda.`, `Pass the value itself as a param: { ${attr.name}: obj.${attr.name} }.`)
  }
  if (attr.kind === 'computed') return inlineComputed(ctx, attr, ref, at)
  return navigate(ctx, ref, attr)
}

function navigate(ctx: TCtx, ref: Extract<EntityExpr, { kind: 'entityRef' }>, attr: AttrInfo): TVal {
  switch (attr.relation) {
    case 'none': {
      const column = attr.columns[0]!
      return { t: 'expr', expr: node({ kind: 'column', type: attr.type ?? 'unknown', nullable: attr.nullable || ref.nullable, base: ref.base, path: ref.path, attr, column }) }
    }
    case 'toOne':
    case 'toOneReverse': {
      const nullable = ref.nullable || attr.nullable || attr.relation === 'toOneReverse'
      return { t: 'entity', ref: node({ kind: 'entityRef', entity: attr.target!, base: ref.base, path: [...ref.path, attr], nullable }) }
    }
    case 'toMany':
    case 'manyToMany':
      return { t: 'coll', coll: node({ elem: newVar(ctx, attr.target!, attr.name), owner: { attr, from: ref }, filters: [], map: null, distinct: false }) }
  }
}
