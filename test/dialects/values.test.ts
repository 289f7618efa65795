// Values: toDb's rejections and encodings (no database), then exact round
// trips of every type with edge values through each real database, and
// parameters that compare exactly (SEMANTICS #4–#6, #25, #26, #37).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { OrmError, OrmTypeError, ValueError } from '../../compiler/errors.js'
import type { ColumnInfo, ScalarType } from '../../compiler/schema.js'
import type { Dialect, DriverConnection } from '../../dialects/dialect.js'
import { mysqlDialect } from '../../dialects/mysql/index.js'
import { postgresDialect } from '../../dialects/postgres/index.js'
import { sqliteDialect } from '../../dialects/sqlite/index.js'
import { eachTarget } from '../support/databases.js'
import { insertSql, runAll, withConnection } from './helpers.js'
import { valuesModel } from './model.js'

const DIALECTS: readonly Dialect[] = [sqliteDialect, postgresDialect, mysqlDialect]

describe('toDb rejects what no database can hold exactly', () => {
  const rejections: [string, unknown, ScalarType, typeof ValueError | typeof OrmTypeError][] = [
    ['NaN', Number.NaN, 'number', ValueError],
    ['Infinity', Number.POSITIVE_INFINITY, 'number', ValueError],
    ['-Infinity', Number.NEGATIVE_INFINITY, 'number', ValueError],
    ['a fraction for Int', 1.5, 'int', ValueError],
    ['NUL in text', 'a\0b', 'string', ValueError],
    ['NUL in LongStr', '\0', 'longstr', ValueError],
    ['a lone surrogate', 'x\uD800', 'string', ValueError],
    ['an invalid Date', new Date('nope'), 'date', ValueError],
    ['year 10000', new Date('+010000-01-01T00:00:00Z'), 'date', ValueError],
    ['a bigint beyond 64 bits', 2n ** 63n, 'bigint', ValueError],
    ['an unsafe number for BigInt', 2 ** 60, 'bigint', ValueError],
    ['a malformed decimal', '1.2.3', 'decimal', ValueError],
    ['NaN as decimal', Number.NaN, 'decimal', ValueError],
    ['a malformed uuid', 'not-a-uuid', 'uuid', ValueError],
    ['Feb 30th', '2023-02-30', 'dateonly', ValueError],
    ['NaN inside JSON', { a: [1, Number.NaN] }, 'json', ValueError],
    ['NUL inside JSON', { 'k\0': 1 }, 'json', ValueError],
    ['a number for a text column (#26)', 1, 'string', OrmTypeError],
    ['a string for an int column (#39)', '1', 'int', OrmTypeError],
    ['an object for a scalar', { a: 1 }, 'string', OrmTypeError],
    ['a bigint for a Number', 1n, 'number', OrmTypeError],
    ['a number for a Boolean', 1, 'boolean', OrmTypeError],
    ['a string for a Date', '2024-01-01', 'date', OrmTypeError],
    ['a Date for a DateOnly', new Date(0), 'dateonly', OrmTypeError],
    ['a string for bytes', 'abc', 'bytes', OrmTypeError],
    ['an array for an Enum', ['a'], 'enum', OrmTypeError],
    ['a bigint inside JSON', { a: 1n }, 'json', OrmTypeError],
  ]
  for (const [what, value, type, Class] of rejections) {
    it(`${what} → ${Class.name === 'OrmTypeError' ? 'TypeError' : Class.name}, on every dialect`, () => {
      for (const dialect of DIALECTS) assert.throws(() => dialect.toDb(value, type), Class, dialect.name)
    })
  }

  it('a cyclic JSON value is a TypeError that is an OrmError and a TypeError', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    assert.throws(() => sqliteDialect.toDb(cyclic, 'json'), (e) => e instanceof OrmTypeError && e instanceof TypeError && e instanceof OrmError)
  })

  it('messages name the column when given one', () => {
    const column: ColumnInfo = { name: 'email', type: 'string', nullable: true }
    assert.throws(() => postgresDialect.toDb(42, column), { message: "column 'email' (String) cannot take a number (42)" })
  })

  it('null and undefined are null', () => {
    for (const dialect of DIALECTS) {
      assert.equal(dialect.toDb(null, 'int'), null)
      assert.equal(dialect.toDb(undefined, 'json'), null)
    }
  })
})

describe('toDb encodings per dialect', () => {
  const at = new Date(Date.UTC(2024, 1, 29, 3, 4, 5, 67))
  it('dates: SQLite fixed-width ISO text, PostgreSQL ISO text, MariaDB DATETIME text, all UTC', () => {
    assert.equal(sqliteDialect.toDb(at, 'date'), '2024-02-29T03:04:05.067Z')
    assert.equal(postgresDialect.toDb(at, 'date'), '2024-02-29T03:04:05.067Z')
    assert.equal(mysqlDialect.toDb(at, 'date'), '2024-02-29 03:04:05.067')
    assert.equal(sqliteDialect.toDb(new Date('0001-01-01T00:00:00.000Z'), 'date'), '0001-01-01T00:00:00.000Z')
  })
  it('a date text remembered from the previous value is never given for another time, nor for the same Date changed in place', () => {
    const later = new Date(at.getTime() + 1)
    const changing = new Date(at.getTime())
    for (const [dialect, text] of [[sqliteDialect, (d: Date) => d.toISOString()], [postgresDialect, (d: Date) => d.toISOString()], [mysqlDialect, (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '')]] as const) {
      assert.equal(dialect.toDb(at, 'date'), text(at))
      assert.equal(dialect.toDb(at, 'date'), text(at))
      assert.equal(dialect.toDb(later, 'date'), text(later))
      assert.equal(dialect.toDb(changing, 'date'), text(at))
      changing.setUTCFullYear(2031)
      assert.equal(dialect.toDb(changing, 'date'), text(changing))
      changing.setTime(at.getTime())
    }
  })
  it('booleans, bigints, bytes, JSON, decimals, uuids', () => {
    assert.equal(sqliteDialect.toDb(true, 'boolean'), 1)
    assert.equal(postgresDialect.toDb(true, 'boolean'), true)
    assert.equal(sqliteDialect.toDb(2n ** 63n - 1n, 'bigint'), 2n ** 63n - 1n)
    assert.equal(postgresDialect.toDb(-(2n ** 63n), 'bigint'), '-9223372036854775808')
    assert.equal(mysqlDialect.toDb(7, 'bigint'), 7n)
    assert.ok(Buffer.isBuffer(mysqlDialect.toDb(new Uint8Array([0, 1]), 'bytes')))
    assert.equal(sqliteDialect.toDb('just text', 'json'), '"just text"')
    assert.equal(postgresDialect.toDb('+007.50', 'decimal'), '7.5')
    assert.equal(postgresDialect.toDb('-0.000', 'decimal'), '0')
    assert.equal(mysqlDialect.toDb(1e21, 'decimal'), '1000000000000000000000')
    assert.equal(sqliteDialect.toDb('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'uuid'), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')
  })
})

const COLUMNS = ['s', 'short', 'long', 'n', 'i', 'big', 'flag', 'at', 'day', 'dec', 'uid', 'bytes', 'doc', 'kind'] as const
type Row = Record<(typeof COLUMNS)[number], unknown>
const TYPES: Record<(typeof COLUMNS)[number], ScalarType> = {
  s: 'string', short: 'string', long: 'longstr', n: 'number', i: 'int', big: 'bigint', flag: 'boolean', at: 'date',
  day: 'dateonly', dec: 'decimal', uid: 'uuid', bytes: 'bytes', doc: 'json', kind: 'enum',
}
const allBytes = new Uint8Array(256).map((_, i) => i)
const utc = (iso: string): Date => new Date(iso)

/** Edge values; each row is read back and compared exactly. */
const ROWS: Row[] = [
  { s: 'héllo 😀 ünï', short: '', long: 'x'.repeat(100_000), n: 0.1 + 0.2, i: 2147483647, big: 2n ** 63n - 1n, flag: true,
    at: utc('1970-01-01T00:00:00.000Z'), day: '1970-01-01', dec: '12345678901234567890.123456789', uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    bytes: new Uint8Array([0, 0, 0]), doc: { text: 'é😀"\\\n', nested: [1, [2, [3, { deep: null }]]], n: -1.5e-7 }, kind: 'a' },
  { s: "back\\slash 'quote' \"dq\"", short: ' trailing ', long: '', n: -1.7976931348623157e308, i: -2147483648, big: -(2n ** 63n), flag: false,
    at: utc('2100-12-31T23:59:59.999Z'), day: '2100-02-28', dec: '-99999999999999999999.9999999999', uid: '00000000-0000-0000-0000-000000000000',
    bytes: allBytes, doc: 'just a string', kind: 'b' },
  { s: 'A', short: 'a', long: null, n: 5e-324, i: 0, big: 9007199254740993n, flag: null,
    at: utc('1969-12-31T23:59:59.999Z'), day: '0001-01-01', dec: '0.0000000001', uid: null, bytes: new Uint8Array(0), doc: [1, 'two', null, true, {}], kind: null },
  { s: null, short: null, long: null, n: 0, i: null, big: 0n, flag: null,
    at: utc('0001-01-01T00:00:00.000Z'), day: '9999-12-31', dec: '0', uid: null, bytes: null, doc: 42, kind: null },
  { s: 'last', short: null, long: null, n: 1e308, i: 1, big: -1n, flag: true,
    at: utc('9999-12-31T23:59:59.999Z'), day: '2024-02-29', dec: '-1.5', uid: null, bytes: null, doc: null, kind: null },
]

async function insertRows(conn: DriverConnection, dialect: Dialect, rows: readonly Row[]): Promise<void> {
  const sql = insertSql(dialect, 'sample', ['id', ...COLUMNS])
  for (const [index, row] of rows.entries()) {
    await conn.query(sql, [dialect.toDb(BigInt(index + 1), 'bigint'), ...COLUMNS.map((c) => dialect.toDb(row[c], TYPES[c]))])
  }
}

async function readRows(conn: DriverConnection, dialect: Dialect, where = '', params: unknown[] = []): Promise<Row[]> {
  const q = dialect.flavor.quoteId
  const result = await conn.query(`SELECT ${COLUMNS.map(q).join(', ')} FROM ${q('sample')} ${where} ORDER BY ${q('id')}`, params)
  return result.rows.map((raw) => Object.fromEntries(COLUMNS.map((c, i) => [c, dialect.fromDb(raw[i], TYPES[c])])) as Row)
}

eachTarget('values', (target) => {
  const setUp = async (conn: DriverConnection, dialect: Dialect): Promise<void> => {
    await runAll(conn, dialect.dropSchemaSql(valuesModel()))
    await runAll(conn, dialect.createSchemaSql(valuesModel()))
    await insertRows(conn, dialect, ROWS)
  }

  it('every type round-trips exactly, edge values included', async () => {
    await withConnection(target, async (conn, dialect) => {
      await setUp(conn, dialect)
      const back = await readRows(conn, dialect)
      assert.equal(back.length, ROWS.length)
      for (const [i, row] of back.entries()) {
        for (const column of COLUMNS) assert.deepStrictEqual(row[column], ROWS[i]![column], `row ${i + 1}, ${column}`)
        assert.ok(row.bytes === null || Object.getPrototypeOf(row.bytes) === Uint8Array.prototype, 'a plain Uint8Array, not a Buffer')
      }
    })
  })

  it('non-canonical inputs come back canonical: decimals, uuids', async () => {
    await withConnection(target, async (conn, dialect) => {
      await setUp(conn, dialect)
      const q = dialect.flavor.quoteId
      await conn.query(insertSql(dialect, 'sample', ['id', 'dec', 'uid']), [dialect.toDb(99n, 'bigint'), dialect.toDb('+0012.5000', 'decimal'), dialect.toDb('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'uuid')])
      const { rows } = await conn.query(`SELECT ${q('dec')}, ${q('uid')} FROM ${q('sample')} WHERE ${q('id')} = ${dialect.flavor.placeholder(1)}`, [dialect.toDb(99n, 'bigint')])
      assert.deepEqual([dialect.fromDb(rows[0]![0], 'decimal'), dialect.fromDb(rows[0]![1], 'uuid')], ['12.5', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'])
    })
  })

  it('parameters compare exactly: 64-bit integers, case, trailing spaces, accents', async () => {
    await withConnection(target, async (conn, dialect) => {
      await setUp(conn, dialect)
      const q = dialect.flavor.quoteId
      const p = dialect.flavor.placeholder(1)
      const ids = async (column: string, value: unknown, type: ScalarType): Promise<unknown[]> =>
        (await conn.query(`SELECT ${q('id')} FROM ${q('sample')} WHERE ${q(column)} = ${p} ORDER BY ${q('id')}`, [dialect.toDb(value, type)]))
          .rows.map((r) => dialect.fromDb(r[0], 'int'))
      assert.deepEqual(await ids('big', 2n ** 63n - 1n, 'bigint'), [1])
      assert.deepEqual(await ids('big', 2n ** 63n - 2n, 'bigint'), [])
      assert.deepEqual(await ids('big', 9007199254740992n, 'bigint'), [])
      assert.deepEqual(await ids('short', 'a', 'string'), [3])
      assert.deepEqual(await ids('short', 'A', 'string'), [], "'a' === 'A' is false (#4)")
      assert.deepEqual(await ids('short', 'a ', 'string'), [], "'a' === 'a ' is false (#5)")
      assert.deepEqual(await ids('short', 'á', 'string'), [], "'a' === 'á' is false (#6)")
      assert.deepEqual(await ids('short', ' trailing ', 'string'), [2])
      assert.deepEqual(await ids('dec', '-1.5', 'decimal'), [5])
      assert.deepEqual(await ids('day', '2024-02-29', 'dateonly'), [5])
      assert.deepEqual(await ids('at', utc('1969-12-31T23:59:59.999Z'), 'date'), [3])
    })
  })

  it('dates sort in time order, from year 1 to 9999 (#37)', async () => {
    await withConnection(target, async (conn, dialect) => {
      await setUp(conn, dialect)
      const q = dialect.flavor.quoteId
      const { rows } = await conn.query(`SELECT ${q('at')} FROM ${q('sample')} ORDER BY ${q('at')}`, [])
      const times = rows.map((r) => (dialect.fromDb(r[0], 'date') as Date).getTime())
      assert.deepEqual(times, [...times].sort((a, b) => a - b))
      assert.equal(times.length, ROWS.length)
    })
  })
})
