/**
 * The top-level `select`: `select(Person, p => …)` is `Person.select(p => …)`;
 * with several entities, `select(Person, Car, (p, c) => …)` is a query over
 * their combinations, each row a tuple.
 */
import { TranslationError } from '../../compiler/errors.js'
import { DATABASE, META } from '../entity/entity.js'
import type { Database } from '../database.js'
import type { EntityMeta } from '../model/meta.js'
import { Query } from './query.js'

type Params = Readonly<Record<string, unknown>>
type Cls<T> = abstract new (...args: never[]) => T

function sourceOf(value: unknown): { meta: EntityMeta; db: Database } {
  const cls = value as { [META]?: EntityMeta; [DATABASE]?: Database } | null
  if (typeof value !== 'function' || cls?.[META] === undefined) throw new TranslationError('select(...) takes entity classes, then an optional lambda and params')
  return { meta: cls[META], db: cls[DATABASE]! }
}

export function select<A>(a: Cls<A>): Query<A>
export function select<A, P extends Params = Params>(a: Cls<A>, fn: (a: A, $: P) => unknown, params?: P): Query<A>
export function select<A, B, P extends Params = Params>(a: Cls<A>, b: Cls<B>, fn?: (a: A, b: B, $: P) => unknown, params?: P): Query<[A, B], [A, B]>
export function select<A, B, C, P extends Params = Params>(a: Cls<A>, b: Cls<B>, c: Cls<C>, fn?: (a: A, b: B, c: C, $: P) => unknown, params?: P): Query<[A, B, C], [A, B, C]>
export function select(...args: unknown[]): Query<unknown, unknown[]> {
  const classes: { meta: EntityMeta; db: Database }[] = []
  let i = 0
  while (i < args.length && typeof args[i] === 'function' && (args[i] as { [META]?: unknown })[META] !== undefined) classes.push(sourceOf(args[i++]))
  if (classes.length === 0) throw new TranslationError('select(...) takes at least one entity class')
  const db = classes[0]!.db
  if (classes.some((c) => c.db !== db)) throw new TranslationError('select(...) over entities of different databases')
  const [fn, params] = [args[i], args[i + 1]]
  if (i + 2 < args.length) throw new TranslationError('select(...): after the entities, only a lambda and its params')
  const query = new Query<unknown, unknown[]>(db, { sources: classes.map((c) => c.meta.name), ops: [], terminal: { kind: 'rows' } })
  if (fn === undefined) return query
  return query.filter(fn as (...a: unknown[]) => unknown, params as Params | undefined)
}
