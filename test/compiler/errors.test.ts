/**
 * Every kind of TranslationError, with its full message: what is wrong, the
 * lambda's line with a caret under the offending part, and what to write
 * instead. Lambdas are built from source text so the quoted text is exact.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseLambda } from '../../compiler/parse/parse-lambda.js'
import { TranslationError } from '../../compiler/errors.js'
import { L, errorOf, filter, fromSource, spec } from './fixtures.js'

function err(src: string, params?: Record<string, unknown>, entity = 'Person'): string {
  return errorOf(spec(entity, [filter(fromSource(src), params)]))
}

function lines(...ls: string[]): string {
  return ls.join('\n')
}

describe('TranslationError messages', () => {
  it('unknown identifier: names it and shows the params fix', () => {
    assert.equal(err('p => p.age > minAge'), lines(
      "Unknown name 'minAge' in a lambda: it is not a lambda parameter, a param, a pinto helper or an entity.",
      '  p => p.age > minAge',
      '               ^^^^^^',
      'Pass its value in the params object: Person.select(p => p.age > minAge, { minAge }), or read it as $.minAge with (…, $) => ….',
    ))
  })
  it('unknown identifier beside other params keeps them in the fix', () => {
    assert.match(err('p => p.age > minAge && p.name === name', { name: 'x' }), /Person\.select\(p => p\.age > minAge && p\.name === name, \{ name, minAge \}\)/)
  })
  it('a name renamed by a bundler suggests the $ form', () => {
    assert.equal(err('p => p.age > v2', { v: 1 }), lines(
      "Unknown name 'v2' in a lambda: it is not a lambda parameter, a param, a pinto helper or an entity.",
      '  p => p.age > v2',
      '               ^^',
      "It looks renamed by a bundler (the params object has 'v'). Read params through the lambda's last parameter, which survives renaming: Person.select((…, $) => … $.v …, { v })",
    ))
  })
  it('unknown attribute lists the attributes', () => {
    assert.equal(err('p => p.agee > 1'), lines(
      "Person has no attribute 'agee'.",
      '  p => p.agee > 1',
      '         ^^^^',
      'Attributes of Person: id, name, age, email, born, score, active, nick, cars, driving, fullName.',
    ))
  })
  it('unknown method', () => {
    assert.equal(err("p => p.name.padStart(3) === 'x'"), lines(
      "Unknown string method 'padStart'.",
      "  p => p.name.padStart(3) === 'x'",
      '       ^^^^^^^^^^^^^^^',
      'Strings support startsWith, endsWith, includes, toLowerCase, toUpperCase, trim, slice, substring, indexOf and .length.',
    ))
  })
  it('unknown collection method', () => {
    assert.equal(err('p => p.cars.find(c => c.price > 1)'), lines(
      "Unknown collection method 'find'.",
      '  p => p.cars.find(c => c.price > 1)',
      '       ^^^^^^^^^^^',
      'Collections support filter, map, some, every, includes, count, exists, sum, avg, min, max and .length.',
    ))
  })
  it('calling an unknown function', () => {
    assert.equal(err('p => foo(p.age)'), lines(
      'Cannot call foo(…) in a query lambda.',
      '  p => foo(p.age)',
      '       ^^^',
      'Only pinto helpers (count, sum, avg, min, max, exists, between, like, coalesce, concat, groupConcat, distinct, desc) and methods of values translate; compute other values before the query and pass them as params.',
    ))
  })
  it('new', () => {
    assert.equal(err('p => p.born > new Date()'), lines(
      '`new` cannot be translated to SQL.',
      '  p => p.born > new Date()',
      '                ^^^^^^^^^^',
      'Build the value before the query and pass it as a param: (p, $) => p.born > $.since, { since: new Date(…) }.',
    ))
  })
  it('assignment and update', () => {
    const expected = (src: string, caret: string): string => lines('Assignment is not allowed in a query lambda.', `  ${src}`, caret, 'Compare with ===; to change rows use .update(p => ({ attr: value })).')
    assert.equal(err('p => (p.age = 3)'), expected('p => (p.age = 3)', '        ^^^^^^^^^'))
    assert.equal(err('p => p.age++ > 1'), expected('p => p.age++ > 1', '       ^^^^^^^'))
  })
  it('await and async', () => {
    assert.equal(err('async p => await p.age'), lines(
      'An async function cannot be a query lambda.',
      '  async p => await p.age',
      '  ^^^^^^^^^^^^^^^^^^^^^^',
      'Remove `async`: the lambda is translated to SQL, never run.',
    ))
  })
  it('this', () => {
    assert.equal(err('function (p) { return p.age > this.min }'), lines(
      '`this` cannot be used in a query lambda.',
      '  function (p) { return p.age > this.min }',
      '                                ^^^^',
      'Pass the value as a param: (p, $) => … $.value …, { value }.',
    ))
  })
  it('nullable operand of string concatenation (#17)', () => {
    assert.equal(err("p => p.name + p.nick === 'x'"), lines(
      "A string concatenation operand can be null here; JavaScript would insert 'null' and SQL would make the whole text null (SEMANTICS #17).",
      "  p => p.name + p.nick === 'x'",
      '                ^^^^^^',
      "Say what null should become, e.g. (x ?? '').",
    ))
  })
  it('float converted to text (#23)', () => {
    assert.equal(err("c => `${c.price}` === '1'", undefined, 'Car'), lines(
      'A floating-point number cannot be converted to text in a query: each database prints it differently (SEMANTICS #23).',
      "  c => `${c.price}` === '1'",
      '          ^^^^^^^',
      'Format it in JavaScript after loading, or use an Int attribute.',
    ))
  })
  it('arithmetic on a boolean (#31)', () => {
    assert.equal(err('p => p.active + 1 > 1'), lines(
      'Arithmetic on a boolean is not allowed (SEMANTICS #31).',
      '  p => p.active + 1 > 1',
      '       ^^^^^^^^',
      'Use a condition instead: (p.flag ? 1 : 0).',
    ))
  })
  it('string compared with a number (#26)', () => {
    assert.equal(err('p => p.name === 3'), lines(
      'A string is compared with an int; JavaScript never finds them equal (SEMANTICS #26).',
      '  p => p.name === 3',
      '       ^^^^^^^^^^^^',
      'Compare values of the same type, e.g. convert the param before the query.',
    ))
  })
  it('NaN (#33)', () => {
    assert.equal(err('p => p.score === NaN'), lines(
      'NaN cannot be used in a query: databases have no such number (SEMANTICS #33).',
      '  p => p.score === NaN',
      '                   ^^^',
      'Compare with a finite number, or test the column for null.',
    ))
  })
  it('entities ordered with <', () => {
    assert.equal(err('c => c.owner > c.driver', undefined, 'Car'), lines(
      'Entities can only be compared with === or !==.',
      '  c => c.owner > c.driver',
      '       ^^^^^^^^^^^^^^^^^^',
      'Compare attributes instead: a.age < b.age.',
    ))
  })
  it('group aggregate outside map', () => {
    assert.equal(err('p => count() > 1'), lines(
      'count() of single values aggregates a group, which only works inside .map(…).',
      '  p => count() > 1',
      '       ^^^^^^^',
      'Aggregate a collection instead: count(p.cars).',
    ))
  })
  it('sum of entities', () => {
    assert.equal(err('p => sum(p.cars) > 1'), lines(
      'sum needs values, not entities.',
      '  p => sum(p.cars) > 1',
      '           ^^^^^^',
      'Map the collection to an attribute first: sum(p.cars.map(c => c.price)).',
    ))
  })
  it('$ without a params object', () => {
    assert.equal(err('(p, $) => p.age > $.min'), lines(
      'The lambda reads $.min, but no params object was passed.',
      '  (p, $) => p.age > $.min',
      '                    ^^^^^',
      'Pass it beside the lambda: Person.select((…, $) => … $.min …, { min }).',
    ))
  })
  it('$ with a null params object', () => {
    assert.equal(err('(p, $) => p.age > $.min', null as never), lines(
      'The lambda reads $.min, but the params object passed is null.',
      '  (p, $) => p.age > $.min',
      '                    ^^^^^',
      'Pass it beside the lambda: Person.select((…, $) => … $.min …, { min }).',
    ))
  })
  it('too many lambda parameters', () => {
    assert.equal(err('(p, $, x) => p.age > 1'), lines(
      'This lambda takes 3 parameters, but Person.select gives 1 value and the params object.',
      '  (p, $, x) => p.age > 1',
      '         ^',
      'Write Person.select((x, $) => …).',
    ))
  })
  it('destructured parameters', () => {
    assert.equal(err('({ age }) => age > 1'), lines(
      'Lambda parameters must be plain names.',
      '  ({ age }) => age > 1',
      '   ^^^^^^^',
      'Write `p => p.age` instead of destructuring or default values.',
    ))
  })
  it('regular expressions', () => {
    assert.equal(err('p => /a/.test(p.name)'), lines(
      'Regular expressions cannot be translated to SQL.',
      '  p => /a/.test(p.name)',
      '       ^^^',
      'Use startsWith/endsWith/includes, or like(x, pattern).',
    ))
  })
  it('Date.now()', () => {
    assert.equal(err('p => p.born < Date.now()'), lines(
      'Date.now() cannot be translated to SQL.',
      '  p => p.born < Date.now()',
      '                ^^^^^^^^^^',
      'Compute the date before the query and pass it as a param: (p, $) => p.born > $.since.',
    ))
  })
  it('a param that is not in the params object', () => {
    assert.equal(err('(p, $) => p.age > $.max', { min: 1 }), lines(
      "The params object has no 'max'.",
      '  (p, $) => p.age > $.max',
      '                    ^^^^^',
      'Add it: { max }.',
    ))
  })
  it('syntax errors quote the position', () => {
    assert.throws(() => parseLambda('p => p.age >'), (e: unknown) => e instanceof TranslationError && e.message === lines(
      'The lambda is not valid JavaScript: Unexpected token.',
      '  p => p.age >',
      '              ^',
      'A query lambda is one arrow function, like `p => p.age > 18` (native and bound functions have no source).',
    ))
  })
  it('a block with more than a return', () => {
    assert.throws(() => parseLambda('p => { const x = 1; return p.age > x }'), (e: unknown) => e instanceof TranslationError && e.message === lines(
      'A query lambda cannot declare variables.',
      '  p => { const x = 1; return p.age > x }',
      '               ^^^^^',
      'Write the lambda as one expression.',
    ))
  })
  it('nesting past the cap', () => {
    const src = `p => ${'-('.repeat(400)}p.age${')'.repeat(400)} > 1`
    assert.throws(() => parseLambda(src), (e: unknown) => e instanceof TranslationError && e.message.startsWith('The lambda is nested too deeply.') && e.message.endsWith('Split it into several filters or simpler expressions (at most 300 levels).'))
  })
  it('a native function', () => {
    assert.throws(() => parseLambda(Math.max.toString()), (e: unknown) => e instanceof TranslationError && e.message.startsWith('The lambda is not valid JavaScript'))
  })
  it('errors inside a computed attribute quote the computed lambda', () => {
    assert.match(err('p => p.fullName === 1'), /^A string is compared with an int/)
  })
  it('update of an unknown attribute and of a required one with null', () => {
    const upd = (src: string): string => errorOf(spec('Person', [], { kind: 'update', lambda: L(fromSource(src)) }))
    assert.equal(upd('p => ({ agee: 1 })'), lines("Person has no attribute 'agee'.", '  p => ({ agee: 1 })', '        ^^^^^^^^^^^', 'Attributes of Person: id, name, age, email, born, score, active, nick, cars, driving, fullName.'))
    assert.equal(upd('p => ({ age: p.score })').split('\n')[0], 'Person.age is required; the new value can be null.')
  })
})
