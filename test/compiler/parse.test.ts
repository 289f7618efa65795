/**
 * The parse stage: which function forms are accepted, the canonical form
 * of what compilers emit, and the parse cache (one parse per text).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseLambda } from '../../compiler/parse/parse-lambda.js'
import { compile, filter, fromSource, spec } from './fixtures.js'

const sqlOf = (src: string, params?: Record<string, unknown>): string => compile(spec('Car', [filter(fromSource(src), params)])).sql

describe('parse', () => {
  it('accepts arrows, single-return blocks, function expressions and method shorthand', () => {
    for (const text of ['p => p.age', '(p) => { return p.age }', 'function (p) { return p.age }', 'function named(p) { "use strict"; return p.age }', 'where(p) { return p.age }', '(p, $) => p.age']) {
      const parsed = parseLambda(text)
      assert.equal(parsed.params[0]!.name, 'p', text)
      assert.equal(parsed.body.type, 'MemberExpression', text)
    }
  })
  it('parses a text once', () => {
    assert.equal(parseLambda('p => p.name'), parseLambda('p => p.name'))
  })
  it('keeps positions relative to the text', () => {
    const parsed = parseLambda('p => p.age')
    assert.equal(parsed.text.slice(parsed.body.start - parsed.offset, parsed.body.end - parsed.offset), 'p.age')
  })
  it('reads (0, ns.helper)(x), void 0 and !0 / !1 as the helper, undefined, true and false', () => {
    const canonical = sqlOf('c => count(c.tags) > 1 && c.year === undefined && c.owner.active === true && c.owner.active !== false')
    assert.equal(sqlOf('c => (0, pinto_1.count)(c.tags) > 1 && c.year === void 0 && c.owner.active === !0 && c.owner.active !== !1'), canonical)
    assert.equal(sqlOf('c => import_pinto.count(c.tags) > 1 && c.year === void 0 && c.owner.active === !0 && c.owner.active !== !1'), canonical)
  })
  it('reads down-levelled optional chains and ?? (tsc and esbuild) as the source form', () => {
    const chain = sqlOf("c => c.driver?.name === 'x'")
    assert.equal(sqlOf("c => { var _a; return ((_a = c.driver) === null || _a === void 0 ? void 0 : _a.name) === 'x'; }"), chain)
    assert.equal(sqlOf("c => { var _a; return ((_a = c.driver) == null ? void 0 : _a.name) === 'x'; }"), chain)
    const coalesce = sqlOf("c => (c.driver?.nick ?? 'n') === 'y'")
    assert.equal(sqlOf("c => { var _a, _b; return ((_b = (_a = c.driver) === null || _a === void 0 ? void 0 : _a.nick) !== null && _b !== void 0 ? _b : 'n') === 'y'; }"), coalesce)
    assert.equal(sqlOf("c => { var _a, _b; return ((_b = (_a = c.driver) == null ? void 0 : _a.nick) != null ? _b : 'n') === 'y'; }"), coalesce)
  })
  it('normalizes nested lambdas with block bodies', () => {
    assert.equal(
      sqlOf("c => c.tags.some((t) => { var _a; return ((_a = t.name) === null || _a === void 0 ? void 0 : _a.length) > 1; })"),
      sqlOf('c => c.tags.some(t => t.name.length > 1)'),
    )
  })
  it('a long || chain costs no stack', () => {
    const text = `p => ${Array.from({ length: 20_000 }, (_, i) => `p.age === ${i}`).join(' || ')}`
    assert.equal(parseLambda(text).body.type, 'LogicalExpression')
  })
})
