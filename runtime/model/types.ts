/**
 * Types that flow from `db.define`: for each entity, the instance type
 * (`p.age: number`, `p.email: string | null`, `p.cars: Collection<Car>`,
 * `c.owner: Person`), the argument of `new Person({...})`, and the class
 * with its static query methods. Everything here is type-level only.
 */
import type { AttrDef } from './attributes.js'
import type { Collection } from '../entity/collection.js'
import type { EntityStatics } from '../entity/statics.js'
import type { Entity } from '../entity/entity.js'

export type Defs = Readonly<Record<string, Readonly<Record<string, unknown>>>>

type AttrNames<E> = Exclude<keyof E, `$${string}`> & string

type BaseOf<D extends Defs, K extends keyof D> = D[K] extends { readonly $extends: infer B } ? (B extends keyof D ? B : never) : never

type HasDeclaredPk<D extends Defs, K extends keyof D> =
  D[K] extends { readonly $primaryKey: unknown } ? true
  : [BaseOf<D, K>] extends [never]
    ? (true extends { [A in AttrNames<D[K]>]: D[K][A] extends AttrDef<'primaryKey'> ? true : false }[AttrNames<D[K]>] ? true : false)
    : true

/** The value an attribute holds on an instance. */
type AttrValue<D extends Defs, A> =
  A extends AttrDef<'set', unknown, infer R> ? (R extends keyof D ? Collection<Instance<D, R>> : never)
  : A extends AttrDef<'computed', infer V> ? V
  : A extends AttrDef<infer Kind, infer V, infer R>
    ? [R] extends [null]
      ? (Kind extends 'optional' ? V | null : V)
      : R extends keyof D ? (Kind extends 'optional' ? Instance<D, R> | null : Instance<D, R>) : never
  : never

type OwnAttrs<D extends Defs, K extends keyof D> = {
  -readonly [A in AttrNames<D[K]> as D[K][A] extends AttrDef<'computed'> ? never : A]: AttrValue<D, D[K][A]>
} & {
  readonly [A in AttrNames<D[K]> as D[K][A] extends AttrDef<'computed'> ? A : never]: AttrValue<D, D[K][A]>
}

type AutoId<D extends Defs, K extends keyof D> = HasDeclaredPk<D, K> extends true ? unknown : { readonly id: number }

type Inherited<D extends Defs, K extends keyof D> = [BaseOf<D, K>] extends [never] ? unknown : Instance<D, BaseOf<D, K>>

/** The instance type of entity `K`. */
export type Instance<D extends Defs, K extends keyof D> = Entity & AutoId<D, K> & Inherited<D, K> & OwnAttrs<D, K>

/** What `new Entity({...})` accepts for one attribute. */
type InputValue<D extends Defs, A> =
  A extends AttrDef<'set', unknown, infer R> ? (R extends keyof D ? readonly Instance<D, R>[] : never)
  : A extends AttrDef<infer Kind, infer V, infer R>
    ? [R] extends [null]
      ? (Kind extends 'optional' ? V | null : V)
      : R extends keyof D ? (Kind extends 'optional' ? Instance<D, R> | null : Instance<D, R>) : never
  : never

type MustGive<A> = A extends AttrDef<'set' | 'computed' | 'optional'> ? false : A extends AttrDef<AttrDefKindAll, unknown, string | null, true> ? false : true
type AttrDefKindAll = 'primaryKey' | 'required' | 'optional' | 'set' | 'computed'

type OwnArgs<D extends Defs, K extends keyof D> = {
  [A in AttrNames<D[K]> as MustGive<D[K][A]> extends true ? A : never]: InputValue<D, D[K][A]>
} & {
  [A in AttrNames<D[K]> as MustGive<D[K][A]> extends true ? never : D[K][A] extends AttrDef<'computed'> ? never : A]?: InputValue<D, D[K][A]>
}

/** The argument of `new Entity({...})`: required attributes must be given. */
export type CreateArgs<D extends Defs, K extends keyof D> =
  ([BaseOf<D, K>] extends [never] ? unknown : CreateArgs<D, BaseOf<D, K>>) & OwnArgs<D, K>

/** An entity class: `new Person({...})` and the static query methods. */
export type EntityClass<T, C> = (new (init: C) => T) & EntityStatics<T, C>

export type EntityClasses<D extends Defs> = {
  readonly [K in keyof D & string]: EntityClass<Instance<D, K>, CreateArgs<D, K>>
}
