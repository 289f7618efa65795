/**
 * A corpus of queries covering the lambda language and the query shapes,
 * each compiled for every flavor by golden.test.ts and compared with the
 * stored golden SQL and slots (test/compiler/golden/<flavor>.json).
 */
import type { QueryOp, QuerySpec } from '../../compiler/query-spec.js'
import { avg, between, coalesce, concat, count, desc, distinct, exists, groupConcat, like, max, min, raw, sum } from '../../runtime/query-helpers.js'
import { L, filter, spec, type Fn } from './fixtures.js'

/* eslint-disable @typescript-eslint/no-explicit-any */
type P = any

const map = (fn: Fn, params?: Record<string, unknown>): QueryOp => ({ op: 'map', lambda: L(fn, params) })
const order = (fn: Fn): QueryOp => ({ op: 'orderBy', lambda: L(fn) })
const where = (fn: Fn, params?: Record<string, unknown>): QueryOp => ({ op: 'where', lambda: L(fn, params) })
const joinLoad = (...path: string[]): QueryOp => ({ op: 'joinLoad', path })

/** An entity-like object (not a plain object): bound through its primary key. */
export class FakeEntity {
  constructor(readonly id: number, readonly name = 'x') {}
}

declare const Car: P
declare const Person: P

const longInts = Array.from({ length: 150 }, (_, i) => i)
const longStrings = longInts.map((i) => `s${i}`)
const longDates = longInts.map((i) => new Date(Date.UTC(2020, 0, 1 + i)))

export const corpus: Readonly<Record<string, QuerySpec>> = {
  'select all': spec('Person'),
  'compare int': spec('Person', [filter((p: P) => p.age > 18)]),
  'compare string eq': spec('Person', [filter((p: P) => p.name === 'Ann')]),
  'not includes nulls': spec('Person', [filter((p: P) => !(p.score > 1.5))]),
  'not equal includes nulls': spec('Person', [filter((p: P) => p.email !== 'x')]),
  'is null': spec('Person', [filter((p: P) => p.email === null && p.nick !== undefined)]),
  'null param': spec('Person', [filter((p: P) => p.email === mail, { mail: null })]),
  'non-null param': spec('Person', [filter((p: P) => p.email === mail, { mail: 'a@x' })]),
  'dollar params': spec('Person', [filter((p: P, $: P) => p.age >= $.min && p.age < $.range.max, { min: 1, range: { max: 9 } })]),
  'nullable both sides': spec('Person', [filter((p: P) => p.nick === p.email || p.nick !== p.email)]),
  'and or not': spec('Person', [filter((p: P) => (p.age > 1 && p.age < 5) || !(p.name === 'a' || p.active))]),
  'conditional': spec('Person', [filter((p: P) => (p.active ? p.age : p.score) > 1)]),
  'coalesce ??': spec('Person', [filter((p: P) => (p.nick ?? p.name) === 'x')]),
  'truthiness': spec('Person', [filter((p: P) => p.nick && !p.score && p.active)]),
  'pick value ||': spec('Person', [map((p: P) => p.nick || p.name)]),
  'arith true division': spec('Person', [filter((p: P) => p.age / p.score > 2 && p.age / 2 === 3.5)]),
  'modulo': spec('Person', [filter((p: P) => p.age % 2 === 1 && p.score % 1.5 === 0.5)]),
  'unary minus': spec('Person', [filter((p: P) => -p.age < -3)]),
  'literal folding': spec('Person', [filter((p: P) => p.score === 0.1 + 0.2)]),
  'string concat': spec('Person', [filter((p: P) => p.name + ' ' + p.age === 'a 1')]),
  'template literal': spec('Person', [map((p: P) => `${p.name} (${p.nick ?? '-'})`)]),
  'startsWith literal': spec('Person', [filter((p: P) => p.name.startsWith('50%_!'))]),
  'endsWith param': spec('Person', [filter((p: P) => p.name.endsWith(suffix), { suffix: 'x' })]),
  'includes column': spec('Person', [filter((p: P) => p.name.includes(p.nick!))]),
  'not startsWith': spec('Person', [filter((p: P) => !p.email!.startsWith('a'))]),
  'lower upper': spec('Person', [filter((p: P) => p.name.toLowerCase() === 'ann' || p.name.toUpperCase() === 'ANN')]),
  'trim length': spec('Person', [filter((p: P) => p.name.trim().length > 3)]),
  'slice substring indexOf': spec('Person', [map((p: P) => [p.name.slice(1), p.name.slice(-3), p.name.slice(1, 3), p.name.slice(-3, -1), p.name.substring(3, 1), p.name.indexOf('a')])]),
  'slice with params': spec('Person', [map((p: P, $: P) => [p.name.slice($.a), p.name.substring($.a, $.b)], { a: 1, b: 2 })]),
  'math': spec('Person', [map((p: P) => [Math.abs(p.age), Math.round(p.score!), Math.floor(p.score!), Math.ceil(p.score!), Math.trunc(p.score!), Math.min(p.age, 3), Math.max(p.age, 3, 5)])]),
  'date parts': spec('Person', [map((p: P) => [p.born.getFullYear(), p.born.getMonth(), p.born.getDate(), p.born.getDay(), p.born.getUTCHours(), p.born.getMinutes(), p.born.getSeconds(), p.born.getMilliseconds()])]),
  'date compare param': spec('Person', [filter((p: P) => p.born > since, { since: new Date(0) })]),
  'in literal list with null': spec('Person', [filter((p: P) => [1, 2, null].includes(p.age) || ![3, null].includes(p.score))]),
  'in param list': spec('Person', [filter((p: P) => ids.includes(p.id) && !ids.includes(p.age), { ids: [1, 2, 3] })]),
  'in empty list': spec('Person', [filter((p: P) => ids.includes(p.id) || !ids.includes(p.age), { ids: [] })]),
  'in entity list': spec('Car', [filter((c: P) => people.includes(c.owner), { people: [new FakeEntity(1), new FakeEntity(2)] })]),
  // Over LONG_LIST (100) values: one slot holding the whole list, the same SQL for every length.
  'in long param list': spec('Person', [filter((p: P) => ids.includes(p.id) && !ids.includes(p.age) && ids.length > 0, { ids: longInts })]),
  'in long list with null': spec('Person', [filter((p: P) => ids.includes(p.nick) || !ids.includes(p.email) || !ids.includes(p.name), { ids: [...longStrings, null] })]),
  'in long list of doubles': spec('Person', [filter((p: P) => ids.includes(p.age) || !ids.includes(p.score), { ids: [...longInts, 0.5] })]),
  'in long date list': spec('Person', [filter((p: P) => ids.includes(p.born) && !ids.includes(p.born), { ids: longDates })]),
  'in long boolean list': spec('Person', [filter((p: P) => ids.includes(p.active), { ids: longInts.map((i) => i % 2 === 0) })]),
  'in long entity list': spec('Car', [filter((c: P) => people.includes(c.owner) || !people.includes(c.driver), { people: longInts.map((i) => new FakeEntity(i)) })]),
  'in long null-only list': spec('Person', [filter((p: P) => ids.includes(p.nick), { ids: longInts.map(() => null) })]),
  'to-one navigation': spec('Car', [filter((c: P) => c.owner.name === 'Ann' && c.driver?.age > 30)]),
  'navigation key only': spec('Car', [filter((c: P) => c.owner.id === 3 && c.driver === null)]),
  'entity equality param': spec('Car', [filter((c: P) => c.owner === someone && c.driver !== someone, { someone: new FakeEntity(7) })]),
  'entity equality join': spec(['Person', 'Car'], [filter((p: P, c: P) => c.owner === p && c.year! > 2000)]),
  'collection length': spec('Person', [filter((p: P) => p.cars.length > 1 && count(p.cars) < 5)]),
  'collection some every': spec('Person', [filter((p: P) => p.cars.some((c: P) => c.price > 10) && p.cars.every((c: P) => c.year! > 2000))]),
  'exists helper': spec('Person', [filter((p: P) => exists(p.cars) && !exists(p.driving))]),
  'filter length': spec('Person', [filter((p: P) => p.cars.filter((c: P) => c.make === 'VW').length >= 2)]),
  'collection aggregates': spec('Person', [map((p: P) => ({ s: sum(p.cars.map((c: P) => c.price)), a: avg(p.cars.map((c: P) => c.price)), lo: min(p.cars.map((c: P) => c.year)), hi: max(p.cars.map((c: P) => c.year)), n: count(p.cars.map((c: P) => c.make)) }))]),
  'many-to-many includes': spec('Car', [filter((c: P) => c.tags.includes(theTag), { theTag: new FakeEntity(1, 'red') })]),
  'many-to-many attribute': spec('Car', [filter((c: P) => c.tags.some((t: P) => t.name.startsWith('r')) && c.tags.length > 0)]),
  'nested collections': spec('Person', [filter((p: P) => p.cars.some((c: P) => c.tags.some((t: P) => t.name === 'x')))]),
  'subquery exists count': spec('Person', [filter((p: P) => Car.select((c: P) => c.owner === p && c.price > 5).exists() && Car.select((c: P) => c.owner === p).count() > 1)]),
  'json path': spec('Car', [filter((c: P) => c.extra.color === 'red' && c.extra.tags[0] === 'a' && c.extra.n > 3)]),
  'json select': spec('Car', [map((c: P) => c.extra.color)]),
  'json === null and == null': spec('Car', [filter((c: P) => c.extra?.color === null || c.extra?.n !== null || c.extra?.tags?.[0] == null)]),
  'int column vs fractional param': spec('Person', [filter((p: P, $: P) => p.age < $.x || count(p.cars) <= $.x, { x: 2.5 })]),
  'int column vs integer param': spec('Person', [filter((p: P, $: P) => p.age < $.x, { x: 2 })]),
  'int column vs fractional literals': spec('Person', [filter((p: P) => [0.5, 7].includes(p.age) || p.age >= 2.5 || 1.5 < p.age || p.age === 0.5)]),
  'int expression as text': spec('Person', [map((p: P) => [`${p.age * 2}`, `${p.born?.getDate() ?? 2}`, `${p.active ? p.age : 3}`, `${p.age}`])]),
  'computed': spec('Person', [filter((p: P) => p.fullName === 'Ann <a@x>')]),
  'between like coalesce concat': spec('Person', [filter((p: P) => between(p.age, 1, 10) && like(p.name, 'A%') && coalesce(p.nick, p.email, 'x') === 'x' && concat(p.name, p.nick, p.age) === 'y')]),
  'groupConcat collection': spec('Person', [map((p: P) => groupConcat(p.cars.map((c: P) => c.make), '; '))]),
  'distinct aggregate': spec('Person', [map((p: P) => sum(distinct(p.cars.map((c: P) => c.price))))]),
  'raw': spec('Person', [filter((p: P) => raw`length(${p.name}) > ${3}`)]),
  'map value': spec('Person', [map((p: P) => p.name)]),
  'map tuple': spec('Person', [map((p: P) => [p.name, p.age])]),
  'map object': spec('Person', [map((p: P) => ({ name: p.name, cars: count(p.cars) }))]),
  'map entity': spec('Car', [map((c: P) => c.owner)]),
  'map entity distinct': spec('Car', [map((c: P) => c.owner), { op: 'distinct', distinct: true }]),
  'map flatten': spec('Person', [filter((p: P) => p.age > 30), map((p: P) => p.cars)]),
  'map flatten many-to-many': spec('Car', [map((c: P) => c.tags)]),
  'group by with having': spec('Car', [map((c: P) => ({ make: c.make, n: count() })), filter((r: P) => r.n > 1), order((r: P) => desc(r.n))]),
  'group aggregates': spec('Car', [map((c: P) => ({ owner: c.owner, total: sum(c.price), top: max(c.year), makes: groupConcat(c.make) }))]),
  // A grouped expression with a bound value is written in SELECT, GROUP BY, HAVING and ORDER BY: one `$n` for all on PostgreSQL, a `?` (and a slot) each elsewhere.
  'group by param expression': spec('Person', [map((p: P, $: P) => ({ bucket: p.age + $.k, n: count() }), { k: 1 }), filter((r: P, $: P) => r.bucket > $.min, { min: 3 }), order((r: P) => desc(r.bucket))]),
  'group by constant expression': spec('Person', [map((p: P) => ({ bucket: p.age + 1, cheap: p.score < 2.5, n: count() }))]),
  'group by param subquery after long list': spec('Person', [where((p: P, $: P) => $.ids.includes(p.id) && !$.ids.includes(p.age), { ids: longInts }), map((p: P, $: P) => ({ rich: Car.select((c: P) => c.owner === p && c.price > $.min).count(), n: count() }), { min: 5 })]),
  // HAVING on a grouped expression: MySQL/MariaDB read it through the select item's alias (MariaDB refuses the repeated expression); PostgreSQL and SQLite repeat it.
  'having on grouped expression': spec('Person', [map((p: P) => ({ older: p.age + 1, n: count() })), filter((r: P) => r.older >= 20)]),
  'having on grouped param expression and aggregate': spec('Person', [map((p: P, $: P) => ({ bucket: p.age - p.age % $.w, n: count() }), { w: 10 }), filter((r: P, $: P) => r.bucket >= $.min && r.n > 1, { min: 20 }), order((r: P) => r.bucket)]),
  // An alias never takes the name of a column the query reads (`age` → `age_2`); a keyword is quoted; a key that is no plain name gives `g<n>`; a plain grouped column stays a column.
  'having alias names': spec('Person', [map((p: P) => ({ age: p.age * 2, name: p.name, order: p.score * 2, 'a b': p.age + 3, n: count() })), filter((r: P) => r.age > 3 && !(r.order > 1) && r.name !== 'x' && r['a b'] > 4)]),
  'having on grouped expression, count': spec('Person', [map((p: P) => ({ older: p.age + 1, n: count() })), filter((r: P) => r.older >= 20)], { kind: 'count' }),
  'having on grouped expression, sum': spec('Person', [map((p: P) => ({ older: p.age + 1, n: count() })), filter((r: P) => r.older >= 20)], { kind: 'aggregate', fn: 'sum', lambda: L((r: P) => r.n) }),
  'filter on mapped entity': spec('Car', [map((c: P) => c.owner), filter((o: P) => o.age > 30)]),
  'params of several sources': spec(['Person', 'Car'], [filter((p: P, c: P, $: P) => c.owner === p && c.price > $.min, { min: 5 })]),
  'filter after map': spec('Person', [map((p: P) => ({ n: p.name, a: p.age })), filter((r: P) => r.a > 3)]),
  'where after map': spec('Person', [map((p: P) => p.name), where((p: P) => p.age > 3)]),
  'map then map': spec('Person', [map((p: P) => ({ n: p.name })), map((r: P) => r.n.toUpperCase())]),
  'order by': spec('Person', [order((p: P) => [desc(p.email), p.score, p.name])]),
  'order by entity': spec('Car', [order((c: P) => [c.owner, desc(c.price)])]),
  'order replaced': spec('Person', [order((p: P) => p.name), order((p: P) => p.age)]),
  'default order': spec('Person', [{ op: 'defaultOrder' }, { op: 'limit', limit: 1, offset: 0 }]),
  'default order mapped': spec('Person', [map((p: P) => p.name), { op: 'defaultOrder' }]),
  'limit offset': spec('Person', [{ op: 'limit', limit: 10, offset: 20 }]),
  'offset only': spec('Person', [{ op: 'limit', limit: null, offset: 20 }]),
  'distinct': spec('Person', [map((p: P) => p.name), { op: 'distinct', distinct: true }]),
  'for update': spec('Person', [filter((p: P) => p.age > 1), { op: 'forUpdate', nowait: false, skipLocked: true }]),
  'random': spec('Person', [{ op: 'random', n: 3 }]),
  'count': spec('Person', [filter((p: P) => p.age > 1)], { kind: 'count' }),
  'count distinct': spec('Person', [map((p: P) => p.name), { op: 'distinct', distinct: true }], { kind: 'count' }),
  'count limited': spec('Person', [{ op: 'limit', limit: 5, offset: 0 }], { kind: 'count' }),
  'exists': spec('Person', [filter((p: P) => p.age > 1)], { kind: 'exists' }),
  'sum lambda': spec('Car', [], { kind: 'aggregate', fn: 'sum', lambda: L((c: P) => c.price) }),
  'avg mapped': spec('Person', [map((p: P) => p.age)], { kind: 'aggregate', fn: 'avg', lambda: null }),
  'max distinct': spec('Person', [map((p: P) => p.age), { op: 'distinct', distinct: true }], { kind: 'aggregate', fn: 'max', lambda: null }),
  'delete': spec('Person', [filter((p: P) => p.age > 99)], { kind: 'delete' }),
  'delete with join': spec('Car', [filter((c: P) => c.owner.age > 99)], { kind: 'delete' }),
  'delete with collection': spec('Person', [filter((p: P) => p.cars.length === 0)], { kind: 'delete' }),
  'delete limited': spec('Person', [order((p: P) => p.age), { op: 'limit', limit: 5, offset: 0 }], { kind: 'delete' }),
  'update': spec('Person', [filter((p: P) => p.age > 60)], { kind: 'update', lambda: L((p: P) => ({ age: p.age + 1, nick: null })) }),
  'update entity': spec('Car', [filter((c: P) => c.price > 1)], { kind: 'update', lambda: L((_c: P) => ({ driver: newDriver }), { newDriver: new FakeEntity(3) }) }),
  'update with join': spec('Car', [filter((c: P) => c.owner.age > 60)], { kind: 'update', lambda: L((c: P) => ({ price: c.price * 2 })) }),
  'inheritance': spec('Student', [filter((s: P) => s.gpa > 3)]),
  'inheritance count': spec('Student', [], { kind: 'count' }),
  'inheritance subquery': spec('Person', [filter((p: P) => Person.select((s: P) => s.age > p.age).exists())]),
  'several sources': spec(['Person', 'Car'], [filter((p: P, c: P) => c.owner === p)]),
  // prefetch of to-one references through joins: the filter's join is reused; an optional reference is LEFT JOINed.
  'prefetch join reuses the filter join': spec('Car', [filter((c: P, $: P) => c.owner.age === $.age && c.price > $.min, { age: 30, min: 1 }), { op: 'limit', limit: 50, offset: 0 }, joinLoad('owner')]),
  'prefetch join optional and required': spec('Car', [joinLoad('driver'), joinLoad('owner')]),
  'prefetch join distinct ordered paged': spec('Car', [{ op: 'distinct', distinct: true }, order((c: P) => [c.owner.name, c.id]), { op: 'limit', limit: 10, offset: 20 }, joinLoad('owner')]),
  'prefetch join ignored by count': spec('Car', [filter((c: P) => c.driver.age > 1), joinLoad('driver')], { kind: 'count' }),
  // Decimals compare, order and take MIN/MAX as numbers (canonical text on SQLite goes through pinto_deckey); equality stays plain.
  'decimal compare param': spec('Product', [filter((p: P, $: P) => p.price < $.limit && p.price >= '9.99', { limit: '100' })]),
  'decimal compare columns': spec('Product', [filter((p: P) => p.price > p.cost! || p.price === p.cost)]),
  'decimal not compare': spec('Product', [filter((p: P) => !(p.cost! <= p.price))]),
  'decimal order': spec('Product', [order((p: P) => [desc(p.price), p.cost])]),
  'decimal min max': spec('Product', [map((p: P) => ({ lo: min(p.price), hi: max(p.cost), label: p.label }))]),
  'decimal max terminal': spec('Product', [], { kind: 'aggregate', fn: 'max', lambda: L((p: P) => p.price) }),
  'decimal min terminal limited': spec('Product', [{ op: 'limit', limit: 3, offset: 0 }], { kind: 'aggregate', fn: 'min', lambda: L((p: P) => p.cost) }),
  // Decimals are summed and averaged exactly (SQLite: the registered pinto_decsum/pinto_decavg over the canonical text).
  'decimal sum terminal': spec('Product', [filter((p: P) => p.label !== 'x')], { kind: 'aggregate', fn: 'sum', lambda: L((p: P) => p.price) }),
  'decimal avg terminal limited': spec('Product', [{ op: 'limit', limit: 3, offset: 0 }], { kind: 'aggregate', fn: 'avg', lambda: L((p: P) => p.cost) }),
  'decimal sum avg grouped': spec('Product', [map((p: P) => ({ label: p.label, total: sum(p.price), mean: avg(p.cost), once: sum(distinct(p.cost)) }))]),
  'decimal sum grouped having': spec('Product', [map((p: P) => ({ label: p.label, total: sum(p.price) })), filter((r: P) => r.total > '10')]),
  'decimal collection sum avg': spec('Invoice', [map((i: P) => ({ n: i.number, total: sum(i.lines.map((l: P) => l.amount)), mean: avg(i.lines.map((l: P) => l.discount)), once: sum(distinct(i.lines.map((l: P) => l.amount))) }))]),

}

declare const mail: P
declare const suffix: P
declare const since: P
declare const ids: P[]
declare const people: P[]
declare const someone: P
declare const theTag: P
declare const newDriver: P
