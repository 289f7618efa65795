/**
 * One or more three-way cases for every row of API.md §7 "What a lambda may
 * contain". Each lambda is run by pinto on the database and called as plain
 * JavaScript on the oracle's objects; the dataset is in world.ts.
 * Lambdas use `?.` where JavaScript would throw on null: SQL gives null there,
 * and JavaScript's `undefined` is compared as null.
 */
import { avg, between, coalesce, concat, count, exists, like, max, min, sum } from '../../runtime/index.js'
import type { Case, EntityName } from './three-way.js'
import { memoryEntity, type Row } from './world.js'

/** The oracle's `Car` for subqueries inside lambdas (pinto reads the name `Car` as the entity). */
let oracleCars: () => Row[] = () => { throw new Error('oracle cars not set') }
export function setOracleCars(rows: () => Row[]): void { oracleCars = rows }
const Car = memoryEntity(() => oracleCars())

/** Exceptions from README "Where pinto follows the database", by name. */
export const EXCEPTION = {
  divByZero: 'exception 1: division by zero gives null on every database (JavaScript: Infinity/NaN)',
  nullRelational: 'exception 4: a relational comparison with null is false (JavaScript: null >= 0 is true)',
  codePoints: 'exception 5: length and string positions count code points, not UTF-16 code units',
  caseMapping: "exception 6: toUpperCase/toLowerCase use the database's simple case mapping on PostgreSQL and MariaDB ('ß' stays 'ß', JavaScript gives 'SS')",
  nullArithmetic: 'exception 7: arithmetic and Math.* on null give null, as in SQL (JavaScript turns null into 0: null * 2 is 0)',
  optionalNull: 'exception 8: optional chaining gives null, not undefined, so p.born?.getFullYear() === p.score is true when both are missing',
  pgRemainder: 'exception 9: % on PostgreSQL is a - b * trunc(a / b) in double precision, exact only when a / b is not within rounding of a whole number',
} as const

/** JavaScript's toUpperCase without the mappings to several characters (exception 6: 'ß' stays 'ß'). */
const simpleUpper = (s: string): string => [...s].map((ch) => (ch.toUpperCase().length === ch.length ? ch.toUpperCase() : ch)).join('')
/** `a % b` as PostgreSQL computes it on doubles (exception 9). */
const truncRem = (a: number, b: number): number => a - b * Math.trunc(a / b)

type Fn = (x: Row, $: Row) => unknown
const f = (entity: EntityName, name: string, fn: Fn, extra: Partial<Case> = {}): Case => ({ name, entity, kind: 'filter', fn, ...extra })
const m = (entity: EntityName, name: string, fn: Fn, extra: Partial<Case> = {}): Case => ({ name, entity, kind: 'map', fn, ...extra })

/** Length by code points: pinto's documented meaning (exception 5). */
const cpLen = (s: string | null | undefined): number | null => (s === null || s === undefined ? null : [...s].length)

export const CONSTRUCT_CASES: readonly Case[] = [
  // ── columns, navigation
  m('Person', 'columns read back', (p) => [p.name, p.age, p.email, p.born, p.score, p.active, p.nick]),
  m('Car', 'to-one navigation', (c) => [c.owner.name, c.driver?.name, c.owner.id, c.driver?.age]),
  f('Car', 'navigation in a predicate', (c) => c.owner.age >= 30 && c.driver?.name === 'Ann '),
  f('Car', 'optional navigation is null', (c) => c.driver === null),
  f('Car', 'navigation two hops', (c) => c.owner.cars.length > 1),

  // ── comparisons and null semantics
  f('Person', '=== string is exact (case)', (p) => p.email === 'ann@x'),
  f('Person', '=== string is exact (trailing space)', (p) => p.name === 'Ann'),
  f('Person', '=== string is exact (accent)', (p) => p.email === 'e@x'),
  f('Person', '=== NFC does not match NFD', (p) => p.name === '\u00e9' || p.nick === 'e\u0301' || p.nick === 'em'),
  f('Person', '=== NFD matches NFD', (p) => p.name === 'e\u0301'),
  f('Person', '=== quotes and backslashes', (p) => p.name === 'O\'Brien "q" \\ back' || p.nick === '\\'),
  f('Person', '=== astral', (p) => p.name === '😀 smile 𝒜'),
  f('Person', '=== empty string', (p) => p.nick === '' || p.email === ''),
  f('Person', '!== includes nulls', (p) => p.email !== 'ann@x'),
  f('Person', '== null / != null', (p) => p.email == null || p.born != null),
  f('Person', '=== null', (p) => p.nick === null),
  f('Person', '!== null', (p) => p.born !== null),
  f('Person', 'nullable === nullable', (p) => p.nick === p.email),
  f('Person', 'nullable !== nullable', (p) => p.nick !== p.email),
  f('Person', 'null param', (p, $) => p.email === $.e, { params: () => ({ e: null }) }),
  f('Person', 'null param !==', (p, $) => p.nick !== $.e, { params: () => ({ e: null }) }),
  f('Person', 'string param with trailing space', (p, $) => p.email === $.e, { params: () => ({ e: 'ann@x ' }) }),
  f('Person', 'number comparisons', (p) => p.age > 17 && p.age <= 64),
  f('Person', 'float comparison', (p) => p.score > 1),
  f('Person', 'float comparison with null column', (p) => p.score < 1, { exception: { reason: EXCEPTION.nullRelational, oracle: (p) => p.score !== null && p.score < 1 } }),
  f('Person', 'negated comparison keeps nulls', (p) => !(p.score > 1)),
  f('Person', 'relational with null column', (p) => p.score >= 0, { exception: { reason: EXCEPTION.nullRelational, oracle: (p) => p.score !== null && p.score >= 0 } }),
  f('Person', 'negated relational with null column', (p) => !(p.score <= 0), { exception: { reason: EXCEPTION.nullRelational, oracle: (p) => !(p.score !== null && p.score <= 0) } }),
  f('Car', 'string order on ASCII capitals', (c) => c.make < 'Mini' || c.make >= 'Tesla'),
  f('Person', 'date comparison with ms', (p, $) => p.born >= $.d, { params: () => ({ d: new Date('1990-01-31T23:30:00.123Z') }) }),
  f('Person', 'date comparison one ms later', (p, $) => p.born > $.d, { params: () => ({ d: new Date('1990-01-31T23:30:00.122Z') }) }),
  f('Person', 'date equal to the ms', (p, $) => p.born >= $.d && p.born <= $.d, { params: () => ({ d: new Date('2038-01-19T03:14:08.999Z') }) }),
  f('Person', 'boolean column', (p) => p.active),
  f('Person', 'boolean === false', (p) => p.active === false),
  f('Person', 'booleans !', (p) => !p.active && p.age > 1),

  // ── logic
  f('Person', '&& || !', (p) => (p.age > 10 && p.active) || p.nick === 'Z'),
  f('Person', '! over ||', (p) => !(p.age > 10 || p.email === null)),
  f('Person', 'conditional', (p) => (p.active ? p.age : p.score) > 2),
  f('Person', '??', (p) => (p.nick ?? 'none') === 'none'),
  f('Person', '|| picks a value', (p) => (p.nick || p.name) === 'Ann'),
  f('Person', '&& picks a value', (p) => (p.nick && p.name) === ''),
  f('Person', 'text truthiness', (p) => p.nick),
  f('Person', 'text falsiness', (p) => !p.email),
  f('Person', 'number truthiness', (p) => p.score),
  f('Person', 'number falsiness', (p) => !p.score),
  m('Person', 'logic values', (p) => [p.nick ?? p.email, p.nick || p.email, p.active ? p.name : p.email, p.score ?? -1]),

  // ── arithmetic
  f('Person', 'true division', (p) => p.age / 2 === 3.5),
  f('Person', 'division by a column', (p) => p.age / p.score > 1, { exception: { reason: EXCEPTION.divByZero, oracle: (p) => p.score !== 0 && p.score !== null && p.age / p.score > 1 } }),
  m('Person', 'arithmetic values', (p) => [p.age / 4, p.age % 7, -p.age, p.age * 3 - 1, p.age + 0.5, p.age / 3]),
  m('Person', 'arithmetic on a nullable double', (p) => [p.score === null ? null : p.score * 2, p.score === null ? null : p.score % 2, p.score === null ? null : -p.score]),
  m('Person', 'division by zero', (p) => p.age / (p.score ?? 1), { exception: { reason: EXCEPTION.divByZero, oracle: (p) => ((p.score ?? 1) === 0 ? null : p.age / (p.score ?? 1)) } }),
  f('Person', 'remainder of doubles', (p) => p.score % 2 === 1.5 || p.score % 2 === -0.5),
  f('Person', 'remainder of negatives', (p) => p.score % 1 === -0.25 || (-p.age) % 4 === -1),
  m('Person', 'remainder by a fraction near a whole quotient', (p) => [(p.score ?? 1) % 0.1, (p.score ?? 1) % 0.01, p.age % 0.1, (p.score ?? 1) % -2], {
    exception: { reason: EXCEPTION.pgRemainder, providers: ['postgres'], oracle: (p) => [truncRem(p.score ?? 1, 0.1), truncRem(p.score ?? 1, 0.01), truncRem(p.age, 0.1), truncRem(p.score ?? 1, -2)] },
  }),
  f('Person', '0.1 + 0.2 is not 0.3', (p) => p.score + 0.2 === 0.30000000000000004 || p.age + 0.1 === 5.1),

  f('Person', 'int column against a fractional param', (p, $) => p.age < $.x || p.age === $.x, { params: () => ({ x: 2.5 }) }),
  f('Person', 'int column against fractional params', (p, $) => p.age > $.x && p.age <= $.y && p.age !== $.x, { params: () => ({ x: 4.5, y: 30.25 }) }),
  f('Person', 'int column against an integer param', (p, $) => p.age < $.x || p.age === $.y, { params: () => ({ x: 7, y: 30 }) }),
  f('Person', 'count against a fractional param', (p, $) => count(p.driving) <= $.f1 && count(p.cars) > $.h, { params: () => ({ f1: 2.5, h: 0.5 }) }),
  f('Person', 'int column in a list with a fraction', (p) => [0.5, 7].includes(p.age)),
  f('Person', 'int column in a list of fractions', (p) => [0.5, 7.5].includes(p.age) || ![30.5, 0, 1, 7].includes(p.age)),
  f('Person', 'int column in a param list with a fraction', (p, $) => $.xs.includes(p.age), { params: () => ({ xs: [0.5, 7, 30] }) }),
  f('Person', 'int column against fractional literals', (p) => (p.age < 7.5 && p.age >= 0.5) || p.age === 30.5 || 16.5 < p.age),
  f('Person', 'int expression against a fraction', (p) => p.age * 2 > 60.5 || (p.born?.getDate() ?? 0) === 29.5 || p.age / 2 === 3.5),
  m('Person', 'int expression as text', (p) => [`${p.age * 2}`, `${p.born?.getDate() ?? 0}`, `${p.active ? p.age : 3}`, `${p.age % 7}`, `${p.age - 100}`, `${-p.age * 3}`]),
  m('Person', 'int param as text', (p, $) => [`${p.age * $.n}`, `${$.n}`, `${p.age + $.n}:${p.cars.length}`], { params: () => ({ n: 2 }) }),
  f('Person', 'undefined from ?. against null', (p) => p.born?.getFullYear() === p.score, {
    exception: { reason: EXCEPTION.optionalNull, oracle: (p) => (p.born?.getFullYear() ?? null) === p.score },
  }),

  // ── strings: concatenation, templates
  f('Person', '+ concatenates', (p) => p.name + '!' === 'Ann!'),
  f('Person', 'template literal', (p) => `${p.name}:${p.age}` === 'Ann:30'),
  m('Person', 'concatenation values', (p) => [p.name + '|' + (p.nick ?? '-'), `${p.name}/${p.age}`, 'x' + p.age + 'y', `[${p.email ?? ''}]`]),

  // ── startsWith / endsWith / includes (case-sensitive, % _ ! literal)
  f('Person', 'startsWith', (p) => p.name.startsWith('An')),
  f('Person', 'startsWith is case-sensitive', (p) => p.name.startsWith('an')),
  f('Person', 'startsWith % _ literal', (p) => p.name.startsWith('50%_') || p.email?.startsWith('b%_!')),
  f('Person', 'includes %', (p) => p.name.includes('%')),
  f('Person', 'includes _', (p) => p.name.includes('_') || p.email?.includes('_')),
  f('Person', 'includes !', (p) => p.name.includes('!') || p.nick?.includes('!')),
  f('Person', 'includes quote, backslash, double quote', (p) => p.name.includes('\'') || p.name.includes('\\') || p.name.includes('"')),
  f('Person', 'endsWith space and NBSP', (p) => p.name.endsWith(' ') || p.name.endsWith('\u00a0')),
  f('Person', 'endsWith on nullable', (p) => p.email?.endsWith('@x') ?? false),
  f('Person', 'not endsWith', (p) => !(p.email?.endsWith('@x') ?? false)),
  f('Person', 'startsWith astral', (p) => p.name.startsWith('😀') || p.name.endsWith('𝒜')),
  f('Person', 'combining character', (p) => p.name.includes('\u0301') || p.name.startsWith('e')),
  f('Person', 'startsWith param', (p, $) => p.name.startsWith($.s) || p.email?.endsWith($.t), { params: () => ({ s: 'a_', t: '%b' }) }),
  f('Person', 'startsWith a column', (p) => p.nick !== null && p.name.startsWith(p.nick)),
  f('Person', 'includes a column', (p) => p.nick !== null && p.email !== null && p.email.includes(p.nick)),
  f('Car', 'includes on a to-one', (c) => c.owner.name.includes('n')),

  // ── case, trim, length, slice, substring, indexOf
  f('Person', 'toLowerCase', (p) => p.name.toLowerCase() === 'ann'),
  f('Person', 'toUpperCase with accents', (p) => p.name.toUpperCase() === 'ÉMILE'),
  m('Person', 'toLowerCase values', (p) => [p.name.toLowerCase(), p.email?.toLowerCase()]),
  // The row 'accents' holds 'ß': 'SS' in JavaScript and on SQLite (pinto_upper), 'ß' on PostgreSQL and MariaDB.
  m('Person', 'toUpperCase values', (p) => [p.name.toUpperCase(), p.nick?.toUpperCase()], {
    exception: { reason: EXCEPTION.caseMapping, providers: ['postgres', 'mysql'], oracle: (p) => [simpleUpper(p.name), p.nick === null ? null : simpleUpper(p.nick)] },
  }),
  f('Person', 'trim removes tab and NBSP', (p) => p.name.trim() === 'Bob'),
  m('Person', 'trim values', (p) => [p.name.trim(), p.nick?.trim()]),
  f('Person', 'length', (p) => p.name.length === 4 || p.name.length === 9, { exception: { reason: EXCEPTION.codePoints, oracle: (p) => cpLen(p.name) === 4 || cpLen(p.name) === 9 } }),
  m('Person', 'length values', (p) => [p.name.length, p.nick?.length, p.email?.length], {
    exception: { reason: EXCEPTION.codePoints, oracle: (p) => [cpLen(p.name), cpLen(p.nick), cpLen(p.email)] },
  }),
  m('Person', 'slice values', (p) => [p.name.slice(1), p.name.slice(-3), p.name.slice(1, 3), p.name.slice(-4, -1), p.name.slice(2, -1)], {
    exception: { reason: EXCEPTION.codePoints, exceptRows: ['emoji'] },
  }),
  m('Person', 'substring values', (p) => [p.name.substring(3, 1), p.name.substring(2), p.name.substring(-1, 2)], {
    exception: { reason: EXCEPTION.codePoints, exceptRows: ['emoji'] },
  }),
  m('Person', 'slice with params', (p, $) => [p.name.slice($.a), p.name.slice($.a, $.b), p.name.substring($.b, $.a)], {
    params: () => ({ a: -4, b: 3 }),
    exception: { reason: EXCEPTION.codePoints, exceptRows: ['emoji'] },
  }),
  m('Person', 'indexOf values', (p) => [p.name.indexOf('n'), p.name.indexOf('z'), p.name.indexOf(' '), p.name.indexOf('%_')], {
    exception: { reason: EXCEPTION.codePoints, exceptRows: ['emoji'] },
  }),
  f('Person', 'slice in a predicate', (p) => p.name.slice(-3) === 'nn ' || p.name.slice(1, 3) === 'nn'),
  f('Person', 'indexOf in a predicate', (p) => p.name.indexOf('n') === 1 || p.name.indexOf('b') === -1),

  // ── Math
  m('Person', 'Math on an int', (p) => [Math.abs(p.age - 50), Math.min(p.age, 10), Math.max(p.age, 10, 40), Math.round(p.age / 4), Math.floor(p.age / 4), Math.ceil(p.age / 4)]),
  m('Person', 'Math on a double', (p) => [p.score === null ? null : Math.abs(p.score), p.score === null ? null : Math.round(p.score), p.score === null ? null : Math.floor(p.score), p.score === null ? null : Math.ceil(p.score), p.score === null ? null : Math.trunc(p.score)]),
  m('Person', 'Math.min/max of a double', (p) => [Math.min(p.age, p.score ?? 0), Math.max(p.score ?? -100, -1)]),
  m('Person', 'arithmetic and Math on null', (p) => [p.score * 2, p.score + 1, Math.abs(p.score), Math.round(p.score)], {
    exception: { reason: EXCEPTION.nullArithmetic, oracle: (p) => (p.score === null ? [null, null, null, null] : [p.score * 2, p.score + 1, Math.abs(p.score), Math.round(p.score)]) },
  }),
  f('Person', 'arithmetic on null in a predicate', (p) => p.score * 2 < 1, { exception: { reason: EXCEPTION.nullArithmetic, oracle: (p) => p.score !== null && p.score * 2 < 1 } }),
  f('Person', 'Math.round half cases', (p) => Math.round(p.score) === -2 || Math.round(p.score) === 3 || Math.round(p.score) === 6),
  f('Car', 'Math.round of a price', (c) => Math.round(c.price) === -3 || Math.round(c.price) === 100),

  // ── dates (UTC parts)
  m('Person', 'date getters', (p) => [p.born?.getFullYear(), p.born?.getMonth(), p.born?.getDate(), p.born?.getDay(), p.born?.getHours(), p.born?.getMinutes(), p.born?.getSeconds(), p.born?.getMilliseconds()]),
  m('Person', 'UTC date getters', (p) => [p.born?.getUTCFullYear(), p.born?.getUTCMonth(), p.born?.getUTCDate(), p.born?.getUTCHours()]),
  f('Person', 'date getter in a predicate', (p) => p.born?.getMonth() === 0 || p.born?.getFullYear() < 1970),
  f('Person', 'leap day', (p) => p.born?.getMonth() === 1 && p.born?.getDate() === 29),

  // ── array includes / IN
  f('Person', 'literal list', (p) => [30, 17, 5].includes(p.age)),
  f('Person', 'list with null', (p) => [1.5, null].includes(p.score)),
  f('Person', 'negated list with null', (p) => ![1.5, null].includes(p.score)),
  f('Person', 'negated list', (p) => ![1.5, 2.5].includes(p.score)),
  f('Person', 'string list', (p) => ['Ann', 'ann', 'é'].includes(p.name)),
  f('Person', 'param list', (p, $) => $.ids.includes(p.age), { params: () => ({ ids: [0, 7, 99, 1000] }) }),
  f('Person', 'empty param list', (p, $) => $.ids.includes(p.id), { params: () => ({ ids: [] }), expect: 'none' }),
  f('Person', 'negated empty param list', (p, $) => !$.ids.includes(p.id), { params: () => ({ ids: [] }), expect: 'all' }),
  f('Person', 'param list of ids', (p, $) => $.ids.includes(p.id), { params: (pick) => ({ ids: [pick.person('ann').id, pick.person('zed').id] }) }),
  f('Person', 'negated param list of ids', (p, $) => !$.ids.includes(p.id), { params: (pick) => ({ ids: [pick.person('ann').id, pick.person('zed').id] }) }),
  f('Person', 'param list with null', (p, $) => $.nicks.includes(p.nick), { params: () => ({ nicks: ['Z', null] }) }),
  f('Person', 'negated param list with null', (p, $) => !$.nicks.includes(p.nick), { params: () => ({ nicks: ['Z', null] }) }),
  f('Car', 'entity list', (c, $) => $.people.includes(c.owner), { params: (pick) => ({ people: [pick.person('ann'), pick.person('pct')] }) }),

  // ── collections
  f('Person', 'collection length', (p) => p.cars.length === 2),
  f('Person', 'count(collection)', (p) => count(p.cars) >= 1),
  f('Person', 'some', (p) => p.cars.some((c: Row) => c.price > 20)),
  f('Person', 'every (empty is true)', (p) => p.cars.every((c: Row) => c.year > 2000)),
  f('Person', 'not every (null year)', (p) => !p.cars.every((c: Row) => c.year > 1990)),
  f('Person', 'filter().length', (p) => p.cars.filter((c: Row) => c.make === 'VW').length === 2),
  f('Person', 'exists(collection)', (p) => exists(p.driving)),
  f('Person', 'nested collections', (p) => p.cars.some((c: Row) => c.tags.some((t: Row) => t.name === 'Red'))),
  f('Car', 'many-to-many includes', (c, $) => c.tags.includes($.tag), { params: (pick) => ({ tag: pick.tag('it\'s') }) }),
  f('Car', 'many-to-many length', (c) => c.tags.length >= 2),
  f('Tag', 'reverse many-to-many', (t) => t.cars.some((c: Row) => c.price > 100)),
  f('Tag', 'tag names exact', (t) => t.name === 'red' || t.name === '😀'),
  f('Car', 'entity equality param', (c, $) => c.owner === $.someone || c.driver === $.someone, { params: (pick) => ({ someone: pick.person('emile') }) }),
  f('Car', 'entity equality between columns', (c) => c.owner === c.driver),
  f('Car', 'entity inequality', (c) => c.owner !== c.driver),
  m('Person', 'correlated aggregates', (p) => [p.cars.length, sum(p.cars.map((c: Row) => c.price)), avg(p.cars.map((c: Row) => c.price)), min(p.cars.map((c: Row) => c.year)), max(p.cars.map((c: Row) => c.year)), count(p.cars.map((c: Row) => c.make))]),
  f('Person', 'aggregate in a predicate', (p) => sum(p.cars.map((c: Row) => c.price)) > 10 || max(p.cars.map((c: Row) => c.year)) === null),
  f('Person', 'avg of nothing is null', (p) => avg(p.cars.map((c: Row) => c.price)) === null),

  // ── subqueries
  f('Person', 'subquery exists', (p) => Car.select((c: Row) => c.owner === p && c.price > 5).exists()),
  f('Person', 'subquery count', (p) => Car.select((c: Row) => c.driver === p).count() > 0),
  f('Person', 'negated subquery', (p) => !Car.select((c: Row) => c.owner === p).exists()),

  // ── JSON paths
  f('Car', 'json text', (c) => c.extra?.color === 'red'),
  f('Car', 'json number', (c) => c.extra?.n > 0),
  f('Car', 'json array index', (c) => c.extra?.tags?.[0] === 'a' || c.extra?.tags?.[0] === 'x'),
  f('Car', 'json nested object', (c) => c.extra?.deep?.k === 'v'),
  f('Car', 'json quotes', (c) => c.extra?.color === 'It\'s "r"\\'),
  f('Car', 'json == null (null or missing)', (c) => c.extra?.color == null),
  f('Car', 'json != null', (c) => c.extra?.color != null),
  f('Car', "json text 'null' is not JSON null", (c) => c.extra?.color === 'null' || c.extra?.color === 'blue'),
  f('Car', 'json === null (explicit null only)', (c) => c.extra?.color === null),
  f('Car', 'json !== null (missing is not null)', (c) => c.extra?.color !== null),
  f('Car', 'json === null on nested paths', (c) => c.extra?.deep?.k === null || c.extra?.tags?.[1] === null || c.extra?.deep === null),
  m('Car', 'json null tests as values', (c) => [c.extra?.color === null, c.extra?.color !== null, c.extra?.color == null, c.extra?.n === null]),
  m('Car', 'json values', (c) => [c.extra?.color, c.extra?.n, c.extra?.tags?.[1], c.extra?.deep?.k]),

  // ── computed attributes
  f('Person', 'computed', (p) => p.fullName === 'ann <>'),
  f('Person', 'computed startsWith', (p) => p.fullName.startsWith('Ann <')),
  m('Person', 'computed value', (p) => p.fullName),

  // ── helpers
  f('Person', 'between', (p) => between(p.age, 7, 30)),
  f('Person', 'between with null', (p) => between(p.score, -1, 1)),
  f('Person', 'between dates', (p, $) => between(p.born, $.a, $.b), { params: () => ({ a: new Date('1969-07-20T20:17:40.001Z'), b: new Date('2000-02-29T12:00:00.500Z') }) }),
  f('Person', 'like', (p) => like(p.name, 'A_n%')),
  f('Person', 'like is case-sensitive', (p) => like(p.name, 'a%')),
  f('Person', 'like with escapes', (p) => like(p.email, '%\\%%') || like(p.name, '%\\_b%')),
  f('Person', 'coalesce', (p) => coalesce(p.email, p.nick, 'z') === 'z' || coalesce(p.nick, p.email) === ''),
  f('Person', 'concat helper', (p) => concat(p.name, p.nick) === 'ann' || concat(p.name, '-', p.age) === 'ZED-1'),
  m('Person', 'helper values', (p) => [coalesce(p.nick, p.email, 'z'), concat(p.name, '/', p.nick, '/', p.age)]),
]
