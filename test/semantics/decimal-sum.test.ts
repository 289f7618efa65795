/**
 * `sum` and `avg` of decimals are exact on every database: PostgreSQL
 * (NUMERIC) and MariaDB (DECIMAL) natively, SQLite through the registered
 * aggregates `pinto_decsum`/`pinto_decavg` over the canonical text (its own
 * SUM/AVG read the text as doubles). Three ways, for the three places the
 * translator emits them (the `sum`/`avg` terminals, `sum`/`avg` of a group in
 * `map`, and over a collection): pinto on each database against the same
 * lambda, or the same helpers, run as plain JavaScript over the same rows
 * (pinto's `sum`/`avg` add decimal strings exactly too). The values are ones
 * that doubles cannot add: thirty `0.1`s, 30-digit decimals that cancel,
 * 2^53 + 1. Golden SQL is in test/compiler (the `decimal sum …` cases).
 *
 * Compared sensibly: a sum is decimal text (the database gives '0' for a sum
 * of nothing, where the JavaScript helper, which cannot tell that no values
 * were decimals, gives 0); the `sum` terminal and every `avg` are numbers
 * (pinto reads them as numbers). `avg` is PostgreSQL's: at least 16
 * significant digits, rounded half away from zero (SQLite and the helper
 * compute the same); MariaDB gives the column's scale + 4 fractional digits
 * (its `div_precision_increment`), so there the expected value is the exact
 * average rounded to that scale.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { avg, count, type Database, Decimal, dbSession, distinct, optional, required, set, sum } from '../../runtime/index.js'
import { DecimalTotal, decimalText, scaledDecimal } from '../../compiler/decimal-sum.js'
import { sqliteAggregates } from '../../dialects/sqlite/functions.js'
import { canonicalDecimal } from '../../dialects/shared/text-formats.js'
import type { ProviderName } from '../../dialects/dialect.js'
import { eachTarget } from '../support/databases.js'
import { rng } from '../support/rng.js'
import { useSeededModel } from '../support/tables.js'

/* eslint-disable @typescript-eslint/no-explicit-any */
type Row = any

/** The declared scale of the decimal columns (MariaDB's AVG has SCALE + 4 fractional digits). */
const SCALE = 12
const HUGE = '123456789012345678901234567890.123'

function defineModel(db: Database) {
  return db.define({
    Shop: { name: required(String), items: set('Item') },
    Item: {
      kind: required(String),
      price: required(Decimal, { precision: 45, scale: SCALE }),
      cost: optional(Decimal, { precision: 45, scale: SCALE }),
      shop: required('Shop', { reverse: 'items' }),
    },
  })
}

/** Shops and their items' [price, cost]; `kind` groups items across shops. */
const SHOPS: readonly { name: string; items: [string, string | null][] }[] = [
  { name: 'tenths', items: Array.from({ length: 30 }, (_, i) => ['0.1', i % 3 === 0 ? null : '0.1'] as [string, string | null]) },
  { name: 'huge', items: [[HUGE, '1'], ['0.001', '1'], [`-${HUGE.slice(0, -4)}`, '2']] },
  { name: 'past2pow53', items: [['9007199254740993', '9007199254740993'], ['1', null], ['1', '0.000000000001']] },
  { name: 'cancel', items: [['100000000000000000000.5', '-0.5'], ['-100000000000000000000', '0.25']] },
  { name: 'empty', items: [] },
  { name: 'nulls', items: [['-2.5', null], ['2.5', null]] },
]
const SHOP_ROWS: readonly Row[] = SHOPS.map((s, i) => ({ id: i + 1, name: s.name }))
const ITEM_ROWS: readonly Row[] = SHOPS.flatMap((s, i) => s.items.map(([price, cost], j) => ({ kind: j % 2 === 0 ? `${s.name}:even` : 'odd', price, cost, shop: i + 1 })))
  .map((r, i) => ({ id: i + 1, ...r }))
/** The oracle's objects: `s.items` an array, `i.shop` the shop. */
const JS_SHOPS: Row[] = SHOP_ROWS.map((s) => ({ ...s }))
for (const s of JS_SHOPS) s.items = ITEM_ROWS.filter((i) => i.shop === s.id).map((i) => ({ ...i, shop: s }))
const JS_ITEMS: Row[] = JS_SHOPS.flatMap((s) => s.items)

/** A sum read from the database is decimal text; the helper's sum of no values is the number 0 (see the top). */
const sumText = (v: unknown): unknown => (v === 0 ? '0' : v)

/** The exact average of decimal strings rounded half away from zero to `scale` fractional digits, as a number (MariaDB's AVG). */
function roundedAvg(values: readonly (string | null)[], scale: number): number | null {
  const xs = values.filter((v): v is string => v !== null).map((v) => scaledDecimal(v)!)
  if (xs.length === 0) return null
  const top = Math.max(...xs.map((x) => x.scale))
  const total = xs.reduce((a, x) => a + x.units * 10n ** BigInt(top - x.scale), 0n)
  const num = total * 10n ** BigInt(scale)
  const den = BigInt(xs.length) * 10n ** BigInt(top)
  const q = ((num < 0n ? -num : num) * 2n + den) / (2n * den)
  return Number(decimalText(num < 0n ? -q : q, scale))
}

/** `avg` as the database computes it: pinto's helper (PostgreSQL's rule), or MariaDB's scale + 4 digits. */
function expectedAvg(provider: ProviderName, values: readonly (string | null)[]): number | null {
  return provider === 'mysql' ? roundedAvg(values, SCALE + 4) : avg(values)
}

describe('exact decimal sum and avg (compiler/decimal-sum.ts, the in-memory helpers)', () => {
  it('adds exactly what doubles cannot', () => {
    assert.equal(sum(Array.from({ length: 30 }, () => '0.1')), '3')
    assert.equal(sum(['0.1', '0.2', null]), '0.3')
    assert.equal(sum([HUGE, '0.001', `-${HUGE.slice(0, -4)}`]), '0.124')
    assert.equal(sum(['9007199254740993', '1']), '9007199254740994')
    assert.equal(sum(['1.50', '-1.5']), '0')
    assert.equal(sum('2.50'), '2.5')
    assert.equal(sum([] as string[]), 0 as unknown as string)
    assert.equal(sum(distinct(['0.1', '0.1', '0.2'])), '0.3')
  })

  it('averages with PostgreSQL\'s scale, rounded half away from zero', () => {
    assert.equal(avg(['1', '1', '2']), 1.3333333333333333)
    assert.equal(avg(Array.from({ length: 10 }, () => '0.1')), 0.1)
    assert.equal(avg([null]), null)
    const t = (values: string[]): string | null => {
      const total = new DecimalTotal()
      for (const v of values) total.add(v)
      return total.avg()
    }
    // Texts as PostgreSQL gives them (SELECT AVG(x) FROM unnest(ARRAY[…]::numeric[]) x), trailing zeros dropped.
    assert.equal(t(['1', '1', '2']), '1.3333333333333333')
    assert.equal(t(['-1', '-1', '-2']), '-1.3333333333333333')
    assert.equal(t(['0.1', '0.1', '0.1', '0.1', '0.1', '0.1', '0.1', '0.1', '0.1', '0.1']), '0.1')
    assert.equal(t([HUGE, '0.001', `-${HUGE.slice(0, -4)}`]), '0.04133333333333333333')
    assert.equal(t(['100000000000000000001', '0']), '50000000000000000001')
    assert.equal(t(['-100000000000000000001', '0']), '-50000000000000000001')
    assert.equal(t(['2', '0', '0']), '0.66666666666666666667')
    assert.equal(t([]), null)
  })

  it('the SQLite aggregates skip NULLs, read integers and reals, give NULL for no rows, and refuse text that is not a decimal', () => {
    const run = (name: string, values: unknown[]): unknown => {
      const a = sqliteAggregates.find((x) => x.name === name)!
      return a.result(values.reduce((total, v) => a.step(total, v), a.start()))
    }
    assert.equal(run('pinto_decsum', ['0.1', null, '0.2', 3n, 0.5]), '3.8')
    assert.equal(run('pinto_decsum', []), null)
    assert.equal(run('pinto_decsum', [null]), null)
    assert.equal(run('pinto_decavg', ['1', null, '2', 3n]), '2')
    assert.equal(run('pinto_decavg', []), null)
    assert.throws(() => run('pinto_decsum', ['0.1', 'abc']), /pinto_decsum: 'abc' is not a decimal number/)
  })
})

eachTarget('decimal_sum', (target) => {
  const { model: { Shop, Item } } = useSeededModel(target, defineModel, (m) => [[m.Shop, SHOP_ROWS], [m.Item, ITEM_ROWS]])
  const mean = (values: readonly (string | null)[]): number | null => expectedAvg(target.provider, values)

  it('sum and avg over a collection (correlated subqueries)', async () => {
    const lambda = (s: Row) => ({ name: s.name, total: sum(s.items.map((i: Row) => i.price)), once: sum(distinct(s.items.map((i: Row) => i.price))), mean: avg(s.items.map((i: Row) => i.cost)) })
    const got = await dbSession.run(() => Shop.select().orderBy((s: Row) => s.id).map(lambda).fetch())
    const want = JS_SHOPS.map((s) => {
      const js = lambda(s)
      return { ...js, total: sumText(js.total), once: sumText(js.once), mean: mean(s.items.map((i: Row) => i.cost)) }
    })
    assert.deepEqual(got, want)
    assert.equal(got.find((r: Row) => r.name === 'huge')?.total, '0.124')
  })

  it('sum and avg of a group (map with aggregates), and HAVING on the exact sum', async () => {
    const got: Row[] = await dbSession.run(() => Item.select().map((i: Row) => ({ kind: i.kind, total: sum(i.price), mean: avg(i.price), costs: avg(i.cost), n: count() })).fetch())
    const kinds = [...new Set(JS_ITEMS.map((i) => i.kind as string))].sort()
    const want = kinds.map((kind) => {
      const rows = JS_ITEMS.filter((i) => i.kind === kind)
      return { kind, total: sum(rows.map((r) => r.price as string)), mean: mean(rows.map((r) => r.price)), costs: mean(rows.map((r) => r.cost)), n: rows.length }
    })
    assert.deepEqual([...got].sort((a, b) => (a.kind < b.kind ? -1 : 1)), want)
    const big: Row[] = await dbSession.run(() => Item.select().map((i: Row) => ({ kind: i.kind, total: sum(i.price) })).filter((r: Row) => r.total > '10').fetch())
    const bigWant = want.filter((w) => Number(w.total) > 10).map((w) => w.kind)
    assert.deepEqual(big.map((r) => r.kind).sort(), bigWant)
    assert.ok(bigWant.length > 0 && bigWant.length < want.length)
  })

  it('the sum and avg terminals', async () => {
    for (const shop of JS_SHOPS) {
      const prices: string[] = shop.items.map((i: Row) => i.price)
      const costs: (string | null)[] = shop.items.map((i: Row) => i.cost)
      await dbSession.run(async () => {
        const items = Item.select((i: Row, $: Row) => i.shop.name === $.name, { name: shop.name })
        assert.equal(await items.sum((i: Row) => i.price), Number(sum(prices)), `${shop.name}: sum`)
        assert.equal(await items.avg((i: Row) => i.price), mean(prices), `${shop.name}: avg`)
        assert.equal(await items.avg((i: Row) => i.cost), mean(costs), `${shop.name}: avg of costs`)
        // Through a derived table (limit): the same aggregates over its column.
        assert.equal(await items.orderBy((i: Row) => i.id).limit(100).sum((i: Row) => i.price), Number(sum(prices)), `${shop.name}: sum, limited`)
      })
    }
  })

  it('random decimals: the same sums and averages as the helpers, per group', async () => {
    const next = rng(20261122)
    const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1))
    const digits = (n: number): string => Array.from({ length: n }, () => String(int(0, 9))).join('')
    const decimal = (): string => canonicalDecimal(`${int(0, 2) === 0 ? '-' : ''}${digits(int(1, 7))}.${digits(int(0, 6))}`)!
    const rows = Array.from({ length: 120 }, (_, i) => ({ id: ITEM_ROWS.length + 1 + i, kind: `r${i % 7}`, price: decimal(), cost: null, shop: 1 }))
    const random = (i: Row): boolean => i.kind.startsWith('r')
    const got: Row[] = await dbSession.run(async () => {
      await Item.insertMany(rows as never)
      const out = await Item.select(random).map((i: Row) => ({ kind: i.kind, total: sum(i.price), mean: avg(i.price) })).fetch()
      await Item.select(random).delete({ bulk: true })
      return out
    })
    const want = [...new Set(rows.map((r) => r.kind))].sort().map((kind) => {
      const prices = rows.filter((r) => r.kind === kind).map((r) => r.price)
      return { kind, total: sum(prices), mean: mean(prices) }
    })
    assert.deepEqual([...got].sort((a, b) => (a.kind < b.kind ? -1 : 1)), want)
  })
})
