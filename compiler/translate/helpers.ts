/**
 * pinto's helpers in a lambda: `count`, `sum`, `avg`, `min`, `max` and
 * `groupConcat` over a collection (a correlated subquery) or, inside `map`,
 * over the rows of a group (`count()` with no argument counts them);
 * `exists`, `between`, `like`, `coalesce`, `concat`, `distinct`, `desc`.
 * `raw` is a template tag (see calls.ts).
 */
import type { CallExpression, Node } from '../parse/estree.js'
import { fail, type TCtx } from './context.js'
import { aggregate } from './collections.js'
import { compare, isNull } from './compare.js'
import { concatParts } from './concat.js'
import { node, type AggFn, type Coll, type Expr } from './ir.js'
import { attrAccess } from './members.js'
import { logic } from './operators.js'
import { aType, adoptType, isNumeric, isText, unify } from './types.js'
import { asExpr, type HelperName, type TVal } from './values.js'

const EMPTY: Expr = node({ kind: 'const', type: 'string', nullable: false, value: '' })

function arity(ctx: TCtx, n: CallExpression, name: string, args: readonly TVal[], min: number, max: number): void {
  if (args.length >= min && args.length <= max) return
  const expect = min === max ? String(min) : max > 50 ? `at least ${min}` : `${min} to ${max}`
  throw fail(ctx, n, `${name}() takes ${expect} argument${max === 1 ? '' : 's'}, found ${args.length}.`)
}

/** Unwrap `distinct(x)`. */
function undistinct(v: TVal): { v: TVal; distinct: boolean } {
  return v.t === 'distinct' ? { v: v.value, distinct: true } : { v, distinct: false }
}

function groupAgg(ctx: TCtx, fn: AggFn, v: TVal | null, distinct: boolean, at: Node, sep: string | null): Expr {
  if (!ctx.groupable) {
    const example = fn === 'count' ? 'count(p.cars)' : `${fn}(p.cars.map(c => c.price))`
    throw fail(ctx, at, `${fn}(${v === null ? '' : '…'}) of single values aggregates a group, which only works inside .map(…).`, `Aggregate a collection instead: ${example}.`)
  }
  if (v === null) return node({ kind: 'agg', fn, type: 'int', nullable: false, arg: null, distinct: false, sep })
  let arg: Expr
  if (v.t === 'entity') {
    const pk = v.ref.entity.pk
    if (pk.length !== 1) throw fail(ctx, at, `${fn}(…) of an entity with a composite key is not supported.`)
    arg = asExpr(ctx, attrAccess(ctx, v.ref, pk[0]!.name, at), at)
  } else {
    arg = asExpr(ctx, v, at)
  }
  if ((fn === 'sum' || fn === 'avg') && !isNumeric(arg.type) && arg.type !== 'unknown') throw fail(ctx, at, `${fn} needs numbers, found ${aType(arg.type)}.`)
  const type = fn === 'count' ? 'int' : fn === 'avg' ? 'number' : fn === 'groupConcat' ? 'string' : arg.type
  return node({ kind: 'agg', fn, type, nullable: fn !== 'count' && fn !== 'sum', arg, distinct: distinct || fn === 'count', sep })
}

function reduce(ctx: TCtx, fn: AggFn, raw: TVal, at: Node, sep: string | null): Expr {
  const { v, distinct } = undistinct(raw)
  if (v.t === 'coll') {
    const coll: Coll = distinct ? node({ ...v.coll, distinct: true }) : v.coll
    return aggregate(ctx, fn, coll, at, sep)
  }
  return groupAgg(ctx, fn, v, distinct, at, sep)
}

export function helperCall(ctx: TCtx, name: HelperName, n: CallExpression, args: readonly TVal[]): TVal {
  const out = (e: Expr): TVal => ({ t: 'expr', expr: e })
  const a = n.arguments as Node[]
  switch (name) {
    case 'count':
      arity(ctx, n, name, args, 0, 1)
      return out(args.length === 0 ? groupAgg(ctx, 'count', null, false, n, null) : reduce(ctx, 'count', args[0]!, a[0]!, null))
    case 'sum':
    case 'avg':
    case 'min':
    case 'max':
      arity(ctx, n, name, args, 1, 1)
      return out(reduce(ctx, name, args[0]!, a[0]!, null))
    case 'groupConcat': {
      arity(ctx, n, name, args, 1, 2)
      const sepNode = a[1] as (Node & { value?: unknown }) | undefined
      if (sepNode !== undefined && (sepNode.type !== 'Literal' || typeof sepNode.value !== 'string')) {
        throw fail(ctx, sepNode, 'The separator of groupConcat must be a string literal.', "Write groupConcat(x, ', ').")
      }
      return out(reduce(ctx, 'groupConcat', args[0]!, a[0]!, (sepNode?.value as string | undefined) ?? ','))
    }
    case 'exists': {
      arity(ctx, n, name, args, 1, 1)
      const v = args[0]!
      if (v.t !== 'coll') throw fail(ctx, a[0]!, 'exists(…) takes a collection, like exists(p.cars).')
      return out(aggregate(ctx, 'exists', v.coll, n))
    }
    case 'between': {
      arity(ctx, n, name, args, 3, 3)
      return out(logic('and', [compare(ctx, n, '>=', args[0]!, args[1]!), compare(ctx, n, '<=', args[0]!, args[2]!)]))
    }
    case 'like': {
      arity(ctx, n, name, args, 2, 2)
      const [x, p] = [asExpr(ctx, args[0]!, a[0]!), asExpr(ctx, args[1]!, a[1]!)]
      for (const [e, at] of [[x, a[0]!], [p, a[1]!]] as const) if (!isText(e.type) && e.type !== 'unknown') throw fail(ctx, at, `like() needs strings, found ${aType(e.type)}.`)
      return out(node({ kind: 'like', type: 'boolean', nullable: x.nullable || p.nullable, arg: x, pattern: adoptType(p, x) }))
    }
    case 'coalesce': {
      arity(ctx, n, name, args, 1, 64)
      const items = args.map((v, i) => asExpr(ctx, v, a[i]!))
      const type = items.reduce<Expr['type']>((t, e) => unify(t, e.type), 'null')
      return out(items.length === 1 ? items[0]! : node({ kind: 'coalesce', type, nullable: items.every((e) => e.nullable), items }))
    }
    case 'concat': {
      arity(ctx, n, name, args, 1, 64)
      const parts = args.map((v, i) => {
        const e = asExpr(ctx, v, a[i]!)
        if (!e.nullable) return { expr: e, at: a[i]! }
        const text = e.type === 'int' || e.type === 'bigint' ? node<Expr>({ kind: 'toText', type: 'string', nullable: true, arg: e }) : e
        return { expr: isNull(e).kind === 'const' ? EMPTY : node<Expr>({ kind: 'coalesce', type: 'string', nullable: false, items: [text, EMPTY] }), at: a[i]! }
      })
      return out(concatParts(ctx, parts, false))
    }
    case 'distinct':
      arity(ctx, n, name, args, 1, 1)
      return { t: 'distinct', value: args[0]! }
    case 'desc':
      arity(ctx, n, name, args, 1, 1)
      return { t: 'desc', value: args[0]! }
    case 'raw':
      throw fail(ctx, n, 'raw is a template tag.', 'Write raw`lower(${p.name})`.')
  }
}
