/**
 * The compiler's entry point: QuerySpec → CompiledQuery for one schema and
 * SQL flavor. Each stage is a pure function over immutable data:
 *
 *     fn.toString() → parseLambda (acorn, normalize) → translateQuery (IR)
 *       → lowerQuery (SQL tree, null semantics) → render (flavor) → CompiledQuery
 *
 * The result is cached by the query's shape: its sources, each op with its
 * lambda's source text and the shape of its params (null or not, array
 * length, entity or scalar type), the terminal, and the flavor. A second run
 * of the same shape costs `fn.toString()` per lambda and a walk down the
 * cache's trie (`cache-key.ts`): it neither parses nor translates.
 *
 * @example
 * compileQuery({ sources: ['Person'], ops: [{ op: 'filter', lambda: { fn: p => p.age > 18, params: undefined } }], terminal: { kind: 'rows' } }, schema, sqliteFlavor)
 * // SELECT "p"."id", "p"."name", "p"."age" FROM "person" "p" WHERE "p"."age" > ?
 */
import { TranslationError } from './errors.js'
import { lambdaText } from './parse/lambda-source.js'
import { parseCount, parseLambda } from './parse/parse-lambda.js'
import { lambdaInputs, type CompiledQuery, type QuerySpec } from './query-spec.js'
import type { SchemaInfo } from './schema.js'
import type { SqlFlavor } from './sql-flavor.js'
import { lowerQuery } from './lower/lower-query.js'
import { render } from './render/render.js'
import { translateQuery } from './translate/query.js'
import { ShapeCache } from './cache-key.js'

export { describeParamsShape } from './translate/param-shape.js'
export { parseLambda } from './parse/parse-lambda.js'
export { lambdaText } from './parse/lambda-source.js'

const MAX_ENTRIES = 2000
let caches = new WeakMap<SchemaInfo, ShapeCache<CompiledQuery>>()
const stats = { translations: 0, cacheHits: 0, parseBase: 0 }

export interface CompilerStats {
  /** Lambda texts parsed (each text is parsed once per process). */
  readonly parses: number
  /** Queries translated (cache misses). */
  readonly translations: number
  /** Queries answered from the cache. */
  readonly cacheHits: number
}

/**
 * Counters since the last `resetCompilerStats()`.
 * @example
 * resetCompilerStats(); run(); run()
 * compilerStats() // { parses: 1, translations: 1, cacheHits: 1 }
 */
export function compilerStats(): CompilerStats {
  return { parses: parseCount() - stats.parseBase, translations: stats.translations, cacheHits: stats.cacheHits }
}

export function resetCompilerStats(): void {
  stats.translations = 0
  stats.cacheHits = 0
  stats.parseBase = parseCount()
}

/** Forget the compiled queries of one schema, or of all (parsed lambdas stay cached by text). */
export function clearCompilerCache(schema?: SchemaInfo): void {
  if (schema === undefined) caches = new WeakMap()
  else caches.delete(schema)
}

/** Compile a query for one schema and flavor (cached by shape). Throws TranslationError. */
export function compileQuery(spec: QuerySpec, schema: SchemaInfo, flavor: SqlFlavor): CompiledQuery {
  let cache = caches.get(schema)
  if (cache === undefined) {
    cache = new ShapeCache(MAX_ENTRIES)
    caches.set(schema, cache)
  }
  const hit = cache.get(spec, flavor.name)
  if (hit !== undefined) {
    stats.cacheHits++
    return hit
  }
  const compiled = compileUncached(spec, schema, flavor)
  cache.set(spec, flavor.name, compiled)
  return compiled
}

function compileUncached(spec: QuerySpec, schema: SchemaInfo, flavor: SqlFlavor): CompiledQuery {
  stats.translations++
  const lambdas = lambdaInputs(spec).map((l) => ({ parsed: parseLambda(lambdaText(l.fn)), params: l.params }))
  try {
    const ir = translateQuery(spec, schema, lambdas)
    const lowered = lowerQuery(ir)
    const { sql, slots } = render(lowered.stmt, flavor)
    return Object.freeze({ sql, slots: Object.freeze(slots), result: lowered.result, tables: Object.freeze([...lowered.tables]) })
  } catch (e) {
    if (e instanceof RangeError) throw new TranslationError(`The query is nested too deeply to translate.\n  ${lambdas[0]?.parsed.text ?? ''}`)
    throw e
  }
}

