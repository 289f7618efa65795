/**
 * Decimals compare as numbers on every database (README, deliberate
 * exceptions: in JavaScript the strings would compare as text). SQLite
 * stores them as canonical text and compares, orders and takes MIN/MAX
 * through the registered `pinto_deckey`; PostgreSQL (NUMERIC) and MariaDB
 * (DECIMAL) compare them natively. Each query is checked on all three
 * databases against an oracle that compares the values exactly, as
 * BigInts scaled to a common number of fractional digits (never floats).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Database, Decimal, dbSession, desc, max, min, optional, required } from '../../runtime/index.js'
import { decimalKey, decimalOfKey } from '../../dialects/sqlite/functions.js'
import { canonicalDecimal } from '../../dialects/shared/text-formats.js'
import { eachTarget } from '../support/databases.js'
import { rng } from '../support/rng.js'
import { useSeededModel } from '../support/tables.js'

/* eslint-disable @typescript-eslint/no-explicit-any */
type Row = any

const SCALE = 100

/** `text` × 10^SCALE, exactly. */
function scaled(text: string): bigint {
  const negative = text.startsWith('-')
  const [int = '', frac = ''] = (negative ? text.slice(1) : text).split('.')
  const v = BigInt(int + frac.padEnd(SCALE, '0'))
  return negative ? -v : v
}

/** Numeric order of decimal strings; null first (as every database sorts NULL ascending here). */
function cmp(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1
  const x = scaled(a)
  const y = scaled(b)
  return x < y ? -1 : x > y ? 1 : 0
}

const lt = (a: string | null, b: string | null): boolean => a !== null && b !== null && cmp(a, b) < 0

const PRICES = ['100', '40', '-0.5', '-10', '0', '9.99', '12345678901234567890.0123456789', '12345678901234567890.0123456788', '-0.05', '0.5']
/** Costs: nulls, ties with the price, and values on either side of it. */
const COSTS = [null, '100', '-0.55', '-10', '0.001', '10', '12345678901234567890.0123456788', '12345678901234567890.0123456789', null, '-0.5']

const ROWS: readonly Row[] = PRICES.map((price, i) => ({ id: i + 1, label: `p${i + 1}`, kind: i % 3 === 0 ? 'a' : 'b', price, cost: COSTS[i] ?? null }))

function defineModel(db: Database) {
  return db.define({
    Product: {
      label: required(String),
      kind: required(String),
      price: required(Decimal, { precision: 30, scale: 10 }),
      cost: optional(Decimal, { precision: 30, scale: 10 }),
    },
  })
}

describe('decimal order key (SQLite pinto_deckey)', () => {
  it('orders exactly as the numbers and reads back, for random decimals of any length', () => {
    const next = rng(20261121)
    const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1))
    const digits = (n: number): string => Array.from({ length: n }, () => String(int(0, 9))).join('')
    const values: string[] = ['0', ...PRICES, ...COSTS.filter((c): c is string => c !== null)]
    for (let i = 0; i < 2000; i++) {
      const text = `${int(0, 1) === 0 ? '-' : ''}${digits(int(1, 45))}.${digits(int(0, 45))}`
      values.push(canonicalDecimal(text)!)
    }
    const byKey = [...values].sort((a, b) => (decimalKey(a)! < decimalKey(b)! ? -1 : decimalKey(a)! > decimalKey(b)! ? 1 : 0))
    assert.deepEqual(byKey, [...values].sort(cmp))
    for (const v of values) assert.equal(decimalOfKey(decimalKey(v)), v)
    assert.equal(decimalKey(null), null)
    assert.equal(decimalKey(5n), decimalKey('5'))
    assert.equal(decimalKey(2.5), decimalKey('2.5'))
  })
})

eachTarget('decimal_order', (target) => {
  const { model: { Product } } = useSeededModel(target, defineModel, (m) => [[m.Product, ROWS]])

  const ids = (rows: readonly Row[]): number[] => rows.map((r) => r.id as number)
  const sortIds = (xs: number[]): number[] => [...xs].sort((a, b) => a - b)

  async function filtered(fn: (p: Row, $: Row) => unknown, params: Record<string, unknown>, oracle: (p: Row) => boolean): Promise<void> {
    const got = await dbSession.run(async () => ids(await Product.select(fn as never, params as never).fetch()))
    assert.deepEqual(sortIds(got), ids(ROWS.filter(oracle)))
  }

  it('stores and reads back every value exactly', async () => {
    const got = await dbSession.run(async () => (await Product.select().fetch()).map((p: Row) => [p.id, p.price, p.cost]))
    assert.deepEqual(got.sort((a: Row, b: Row) => a[0] - b[0]), ROWS.map((r) => [r.id, r.price, r.cost]))
  })

  for (const limit of ['100', '40', '-0.5', '0', '9.99', '12345678901234567890.0123456789', '-10.000']) {
    it(`< and > with a param ${limit}`, async () => {
      const c = canonicalDecimal(limit)!
      await filtered((p, $) => p.price < $.limit, { limit }, (r) => lt(r.price, c))
      await filtered((p, $) => p.price > $.limit, { limit }, (r) => lt(c, r.price))
      await filtered((p, $) => p.price <= $.limit, { limit }, (r) => !lt(c, r.price))
      await filtered((p, $) => $.limit >= p.cost, { limit }, (r) => r.cost !== null && !lt(c, r.cost))
      await filtered((p, $) => !(p.cost < $.limit), { limit }, (r) => !lt(r.cost, c))
    })
  }

  it('< and > between columns (nulls: JavaScript negation includes them)', async () => {
    await filtered((p) => p.price > p.cost, {}, (r) => lt(r.cost, r.price))
    await filtered((p) => p.price <= p.cost, {}, (r) => r.cost !== null && !lt(r.cost, r.price))
    await filtered((p) => !(p.cost < p.price), {}, (r) => !lt(r.cost, r.price))
    await filtered((p) => p.price === p.cost, {}, (r) => r.price === r.cost)
  })

  it('orderBy ascending and descending, with a tie broken by id', async () => {
    const asc = await dbSession.run(async () => ids(await Product.select().orderBy((p: Row) => [p.price, p.id]).fetch()))
    assert.deepEqual(asc, ids([...ROWS].sort((a, b) => cmp(a.price, b.price) || a.id - b.id)))
    const dsc = await dbSession.run(async () => ids(await Product.select().orderBy((p: Row) => [desc(p.price), p.id]).fetch()))
    assert.deepEqual(dsc, ids([...ROWS].sort((a, b) => cmp(b.price, a.price) || a.id - b.id)))
    // Nullable: every database here puts NULL first ascending (pinto's documented null order).
    const byCost = await dbSession.run(async () => ids(await Product.select().orderBy((p: Row) => [p.cost, p.id]).fetch()))
    assert.deepEqual(byCost, ids([...ROWS].sort((a, b) => cmp(a.cost, b.cost) || a.id - b.id)))
  })

  it('min and max, as a terminal and grouped', async () => {
    const sorted = [...PRICES].sort(cmp)
    const costs = COSTS.filter((c): c is string => c !== null).sort(cmp)
    await dbSession.run(async () => {
      assert.equal(await Product.select().min((p: Row) => p.price), sorted[0])
      assert.equal(await Product.select().max((p: Row) => p.price), sorted.at(-1))
      assert.equal(await Product.select().min((p: Row) => p.cost), costs[0])
      assert.equal(await Product.select().max((p: Row) => p.cost), costs.at(-1))
      assert.equal(await Product.select((p: Row) => p.price < '0').max((p: Row) => p.price), '-0.05')
      const grouped = await Product.select().map((p: Row) => ({ kind: p.kind, lo: min(p.price), hi: max(p.cost) })).fetch()
      const expected = ['a', 'b'].map((kind) => {
        const rows = ROWS.filter((r) => r.kind === kind)
        const ps = rows.map((r) => r.price as string).sort(cmp)
        const cs = rows.map((r) => r.cost as string | null).filter((c): c is string => c !== null).sort(cmp)
        return { kind, lo: ps[0], hi: cs.at(-1) ?? null }
      })
      assert.deepEqual([...grouped].sort((a: Row, b: Row) => (a.kind < b.kind ? -1 : 1)), expected)
    })
  })
})
