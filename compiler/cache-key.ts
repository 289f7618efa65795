/**
 * The translation cache, keyed by a query's shape: its flavor, its sources,
 * each op (with its lambda's source text and the shape of its params), and
 * the terminal. Two specs with the same key compile to the same SQL and
 * slots; only bound values differ.
 *
 * The key is never built as a string: the cache is a trie of Maps walked one
 * token at a time (a name, a lambda's text, a param's key or shape code, or a
 * structural marker), since concatenating and hashing a key string was the
 * largest cost of a cached query. Markers are negative numbers and every
 * other token is a string, each in a position the grammar below fixes, so
 * two different shapes never walk the same path:
 *
 *     flavor sources op* terminal [fn] [lambda]       lambda = text params
 *     params = NO_PARAMS | shapeCode | OPEN (key params)* CLOSE
 *
 * A lambda's text is a token itself (not a number interned for it): a new
 * closure gives a new string on every call, so interning cost a second hash
 * of the text per lambda for nothing; the trie's entry keeps the text alive
 * no longer than the entry itself.
 */
import { lambdaText } from './parse/lambda-source.js'
import type { LambdaInput, QuerySpec, QueryTerminal } from './query-spec.js'
import { describeParamsShape, isPlain, MAX_PARAM_DEPTH } from './translate/param-shape.js'

const OPEN = -1
const CLOSE = -2
const NO_PARAMS = -3
const NO_LAMBDA = -4
/** Where a node keeps the compiled query of the path that ends there. */
const LEAF = -5
/** The terminal's kind, as one marker (no string a terminal could share with an op). */
const TERMINALS: Readonly<Record<QueryTerminal['kind'], number>> = { rows: -6, count: -7, exists: -8, aggregate: -9, delete: -10, update: -11 }

type Node = Map<unknown, unknown>

/** A position in the trie: lookups stop at the first missing token, inserts make it. */
class Cursor {
  constructor(public node: Node | undefined, readonly create: boolean) {}

  step(token: unknown): void {
    const node = this.node
    if (node === undefined) return
    let next = node.get(token) as Node | undefined
    if (next === undefined && this.create) {
      next = new Map()
      node.set(token, next)
    }
    this.node = next
  }

  params(value: unknown, depth: number): void {
    if (typeof value === 'object' && value !== null && depth < MAX_PARAM_DEPTH && isPlain(value)) {
      this.step(OPEN)
      const obj = value as Readonly<Record<string, unknown>>
      for (const k of Object.keys(obj)) {
        this.step(k)
        this.params(obj[k], depth + 1)
      }
      this.step(CLOSE)
    } else {
      this.step(describeParamsShape(value, depth))
    }
  }

  lambda(l: LambdaInput): void {
    this.step(lambdaText(l.fn))
    if (l.params === undefined) this.step(NO_PARAMS)
    else this.params(l.params, 0)
  }

  /** Walk the whole key of `spec`. */
  spec(spec: QuerySpec, flavorName: string): void {
    this.step(flavorName)
    this.step(spec.sources.length === 1 ? spec.sources[0] : spec.sources.join(','))
    for (const op of spec.ops) {
      switch (op.op) {
        case 'filter': case 'where': case 'map': case 'orderBy': this.step(op.op); this.lambda(op.lambda); break
        case 'mapAttr': this.step('a'); this.step(op.attr); break
        case 'defaultOrder': this.step('d'); break
        case 'distinct': this.step(op.distinct ? 'u1' : 'u0'); break
        case 'limit': this.step(op.limit === null ? (op.offset > 0 ? 'lno' : 'ln') : (op.offset > 0 ? 'lyo' : 'ly')); break
        case 'forUpdate': this.step(op.nowait ? (op.skipLocked ? 'fns' : 'fn') : (op.skipLocked ? 'fs' : 'f')); break
        case 'random': this.step('r'); break
        case 'joinLoad': this.step('j'); this.step(op.path.join('.')); break
      }
    }
    const t = spec.terminal
    this.step(TERMINALS[t.kind])
    if (t.kind === 'aggregate') {
      this.step(t.fn)
      if (t.lambda === null) this.step(NO_LAMBDA)
      else this.lambda(t.lambda)
    }
    if (t.kind === 'update') this.lambda(t.lambda)
  }
}

/**
 * Compiled values by query shape, at most `maxEntries` of them: past that the
 * cache starts again (programs have a few hundred shapes; a program that
 * makes a new shape per call gains nothing from a cache anyway).
 */
export class ShapeCache<V> {
  private root: Node = new Map()
  private entries = 0

  constructor(private readonly maxEntries: number) {}

  get(spec: QuerySpec, flavorName: string): V | undefined {
    const cursor = new Cursor(this.root, false)
    cursor.spec(spec, flavorName)
    return cursor.node?.get(LEAF) as V | undefined
  }

  set(spec: QuerySpec, flavorName: string, value: V): void {
    if (this.entries >= this.maxEntries) {
      this.root = new Map()
      this.entries = 0
    }
    const cursor = new Cursor(this.root, true)
    cursor.spec(spec, flavorName)
    if (!cursor.node!.has(LEAF)) this.entries++
    cursor.node!.set(LEAF, value)
  }
}
