// The shared building blocks without a database: decimal and timestamp text
// forms, name fitting, the error tables; and the test support's handling of
// unreachable databases (a visible skip locally, a failure with CI=true).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { describe, it } from 'node:test'
import { IntegrityError, OperationalError, ProgrammingError } from '../../compiler/errors.js'
import { mysqlErrors } from '../../dialects/mysql/errors.js'
import { postgresErrors } from '../../dialects/postgres/errors.js'
import { classify, convertDriverError } from '../../dialects/shared/errors.js'
import { fitName } from '../../dialects/shared/names.js'
import { canonicalDecimal, isDateOnly, parseTimestamp } from '../../dialects/shared/text-formats.js'
import { sqliteErrors } from '../../dialects/sqlite/errors.js'

describe('text forms', () => {
  it('canonical decimals', () => {
    const cases: [string, string | null][] = [
      ['0', '0'], ['-0.000', '0'], ['+007.50', '7.5'], ['.5', '0.5'], ['5.', '5'], ['1e3', '1000'], ['1.5E-3', '0.0015'],
      ['-12345678901234567890.1234567890', '-12345678901234567890.123456789'], ['abc', null], ['1.2.3', null], ['', null], ['.', null], ['1e', null],
    ]
    for (const [input, expected] of cases) assert.equal(canonicalDecimal(input), expected, input)
  })

  it('timestamps: any zone or none (UTC), fractions truncated to ms, years 1..9999', () => {
    const cases: [string, string][] = [
      ['2024-01-02 03:04:05.678+00', '2024-01-02T03:04:05.678Z'],
      ['2024-01-02 03:04:05.678912+05:30', '2024-01-01T21:34:05.678Z'],
      ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z'],
      ['2024-01-02 03:04:05.1', '2024-01-02T03:04:05.100Z'],
      ['0001-01-01 00:00:00', '0001-01-01T00:00:00.000Z'],
      ['1969-12-31 23:59:59.999-01', '1970-01-01T00:59:59.999Z'],
      ['2024-01-02', '2024-01-02T00:00:00.000Z'],
    ]
    for (const [input, iso] of cases) assert.equal(parseTimestamp(input).toISOString(), iso, input)
    assert.ok(Number.isNaN(parseTimestamp('yesterday').getTime()))
  })

  it('calendar dates', () => {
    assert.deepEqual(['2024-02-29', '2023-02-29', '0000-01-01', '9999-12-31', '2024-1-01'].map(isDateOnly), [true, false, false, true, false])
  })

  it('names are fitted by bytes, with a stable hash', () => {
    assert.equal(fitName('short', 63), 'short')
    const long = 'é'.repeat(40)
    const fitted = fitName(long, 63)
    assert.ok(Buffer.byteLength(fitted) <= 63 && /_[0-9a-f]{8}$/.test(fitted))
    assert.equal(fitName(long, 63), fitted)
    assert.notEqual(fitName(`${'x'.repeat(70)}a`, 63), fitName(`${'x'.repeat(70)}b`, 63))
  })
})

describe('error tables', () => {
  const err = (fields: Record<string, unknown>, message = 'boom'): Error => Object.assign(new Error(message), fields)
  it('PostgreSQL: SQLSTATE classes, fatal connection errors', () => {
    assert.deepEqual(classify(postgresErrors, err({ code: '23503' })), { kind: 'integrity', fatal: false, code: '23503' })
    assert.deepEqual(classify(postgresErrors, err({ code: '40P01' })), { kind: 'operational', fatal: false, code: '40P01' })
    assert.deepEqual(classify(postgresErrors, err({ code: '08006' })), { kind: 'operational', fatal: true, code: '08006' })
    assert.deepEqual(classify(postgresErrors, err({ code: '57P01' })), { kind: 'operational', fatal: true, code: '57P01' })
    assert.deepEqual(classify(postgresErrors, err({}, 'Connection terminated unexpectedly')), { kind: 'operational', fatal: true, code: 'CONNECTION_LOST' })
    assert.deepEqual(classify(postgresErrors, err({ code: '22003' })), { kind: 'programming', fatal: false, code: '22003' })
  })
  it('MySQL: error numbers and client codes; SQLite: extended result codes', () => {
    assert.equal(classify(mysqlErrors, err({ code: 'ER_ROW_IS_REFERENCED_2', errno: 1451 })).kind, 'integrity')
    assert.deepEqual(classify(mysqlErrors, err({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })), { kind: 'operational', fatal: false, code: 'ER_LOCK_DEADLOCK' })
    assert.deepEqual(classify(mysqlErrors, err({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true })), { kind: 'operational', fatal: true, code: 'PROTOCOL_CONNECTION_LOST' })
    assert.equal(classify(mysqlErrors, err({ code: 'ER_PARSE_ERROR', errno: 1064 })).kind, 'programming')
    assert.equal(classify(sqliteErrors, err({ code: 'SQLITE_CONSTRAINT_CHECK' })).kind, 'integrity')
    assert.equal(classify(sqliteErrors, err({ code: 'SQLITE_BUSY_SNAPSHOT' })).kind, 'operational')
    assert.equal(classify(sqliteErrors, new TypeError('Too few parameter values were provided')).kind, 'programming')
  })
  it('converted errors are the right classes and carry sql, params, cause, driverCode', () => {
    const cause = err({ code: '23505' }, 'duplicate key')
    const { error, fatal } = convertDriverError(postgresErrors, cause, 'INSERT 1', [1])
    assert.ok(error instanceof IntegrityError && !(error instanceof OperationalError) && !(error instanceof ProgrammingError))
    assert.deepEqual([error.message, error.sql, error.params, error.cause, error.driverCode, fatal], ['duplicate key — SQL: INSERT 1', 'INSERT 1', [1], cause, '23505', false])
  })
})

/** The environment without NODE_TEST_CONTEXT, which would make the child report to this runner instead of printing. */
function withoutTestContext(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.NODE_TEST_CONTEXT
  return env
}

describe('test support: unreachable databases', () => {
  const fixture = new URL('./fixtures/unreachable.fixture.ts', import.meta.url).pathname
  const run = (ci: string): ReturnType<typeof spawnSync> => spawnSync(process.execPath, ['--import', 'tsx', '--test', fixture], {
    encoding: 'utf8',
    env: { ...withoutTestContext(), CI: ci, PINTO_PG_URL: 'postgres://nobody:secret@127.0.0.1:9/x', PINTO_MYSQL_URL: 'mysql://nobody@127.0.0.1:9/x' },
  })

  it('locally: a loud stderr line and a visible skipped test naming the database and URL (password hidden)', () => {
    const result = run('')
    const out = String(result.stdout)
    assert.equal(result.status, 0, out)
    assert.match(out, /ok \d+ - postgres at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:9\/x # SKIP unreachable: connect ECONNREFUSED/)
    assert.match(out, /ok \d+ - mysql at mysql:\/\/nobody@127\.0\.0\.1:9\/x # SKIP unreachable: connect ECONNREFUSED/)
    assert.match(out, /# skipped 2/)
    assert.match(out, /# pass 1/)
    assert.ok(!out.includes('secret') && !String(result.stderr).includes('secret'))
    assert.match(String(result.stderr) + out, /SKIPPED \(set CI=true to fail instead\)/)
  })

  it('with CI=true the file fails', () => {
    const result = run('true')
    assert.notEqual(result.status, 0)
    assert.match(String(result.stdout) + String(result.stderr), /postgres unreachable at .*CI=true: database tests must not be skipped/)
  })
})
