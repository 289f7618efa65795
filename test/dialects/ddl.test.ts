// DDL: golden CREATE scripts for all three dialects (no database), the exact
// drop/begin/ifNotExists statements, then the same DDL run on each real
// database with cyclic data in it, and dropped again.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import type { Dialect, DriverConnection } from '../../dialects/dialect.js'
import { mysqlDialect } from '../../dialects/mysql/index.js'
import { postgresDialect } from '../../dialects/postgres/index.js'
import { sqliteDialect } from '../../dialects/sqlite/index.js'
import { IntegrityError } from '../../compiler/errors.js'
import { eachTarget } from '../support/databases.js'
import { insertSql, LIST_TABLES, runAll, withConnection } from './helpers.js'
import { ddlModel, LONG_TABLE } from './model.js'

const DIALECTS: readonly Dialect[] = [sqliteDialect, postgresDialect, mysqlDialect]
const script = (statements: readonly string[]): string => statements.map((s) => `${s};\n`).join('')
const golden = (name: string): string => readFileSync(new URL(`./golden/${name}.sql`, import.meta.url), 'utf8')
const TABLES_DROP_ORDER = ['car_tag', 'person_person', LONG_TABLE, 'line', 'shipment', 'dept', 'emp', 'passport', 'tag', 'vehicles', 'person', 'sample']

describe('DDL, golden', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect.name}: createSchemaSql matches golden/${dialect.name}.sql`, () => {
      assert.equal(script(dialect.createSchemaSql(ddlModel())), golden(dialect.name))
    })
  }

  it('dropSchemaSql: link tables first, children before parents, cycles and rows allowed', () => {
    assert.deepEqual(sqliteDialect.dropSchemaSql(ddlModel()), [
      'PRAGMA defer_foreign_keys = ON', 'PRAGMA foreign_keys = OFF',
      ...TABLES_DROP_ORDER.map((t) => `DROP TABLE IF EXISTS "${t}"`),
      'PRAGMA foreign_keys = ON',
    ])
    assert.deepEqual(postgresDialect.dropSchemaSql(ddlModel()), TABLES_DROP_ORDER.map((t) => `DROP TABLE IF EXISTS "${t}" CASCADE`))
    assert.deepEqual(mysqlDialect.dropSchemaSql(ddlModel()), [
      'SET FOREIGN_KEY_CHECKS = 0', ...TABLES_DROP_ORDER.map((t) => `DROP TABLE IF EXISTS \`${t}\``), 'SET FOREIGN_KEY_CHECKS = 1',
    ])
  })

  it('ifNotExists: tables, indexes and foreign keys are skipped when present', () => {
    const sqlite = sqliteDialect.createSchemaSql(ddlModel(), { ifNotExists: true })
    assert.ok(sqlite[0]!.startsWith('CREATE TABLE IF NOT EXISTS "sample" (\n'))
    assert.ok(sqlite.includes('CREATE UNIQUE INDEX IF NOT EXISTS "unq_person__email" ON "person" ("email")'))
    const pg = postgresDialect.createSchemaSql(ddlModel(), { ifNotExists: true })
    assert.ok(pg.includes('CREATE INDEX IF NOT EXISTS "idx_car_tag__tag" ON "car_tag" ("tag")'))
    assert.equal(pg.at(-1), 'DO $pinto$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = \'fk_car_tag__tag\' ' +
      'AND conrelid = \'"car_tag"\'::regclass) THEN ALTER TABLE "car_tag" ADD CONSTRAINT "fk_car_tag__tag" FOREIGN KEY ("tag") ' +
      'REFERENCES "tag" ("name") ON DELETE CASCADE; END IF; END $pinto$')
    const my = mysqlDialect.createSchemaSql(ddlModel(), { ifNotExists: true })
    assert.equal(my.at(-1), 'ALTER TABLE `car_tag` ADD CONSTRAINT `fk_car_tag__tag` FOREIGN KEY IF NOT EXISTS (`tag`) REFERENCES `tag` (`name`) ON DELETE CASCADE')
  })

  it('constraint and index names are deterministic, distinct, and fit 63 (PostgreSQL) / 64 (MySQL) bytes', () => {
    for (const [dialect, limit] of [[postgresDialect, 63], [mysqlDialect, 64], [sqliteDialect, 64]] as const) {
      const sql = script(dialect.createSchemaSql(ddlModel()))
      assert.equal(sql, script(dialect.createSchemaSql(ddlModel())))
      const names = [...sql.matchAll(/(?:CONSTRAINT|INDEX) ["`]([^"`]+)["`]/g)].map((m) => m[1]!)
      assert.ok(names.length > 20)
      for (const name of names) assert.ok(Buffer.byteLength(name) <= limit, `${dialect.name}: ${name} is too long`)
      assert.ok(names.some((n) => n.startsWith('fk_a_table_name') && /_[0-9a-f]{8}$/.test(n)), 'long names are shortened with a hash')
      const fks = names.filter((n) => n.startsWith('fk_'))
      assert.equal(new Set(fks).size, fks.length)
    }
  })

  it('beginSql for each transaction kind', () => {
    const kinds = [{ serializable: false, immediate: false }, { serializable: false, immediate: true }, { serializable: true, immediate: false }]
    assert.deepEqual(kinds.map((k) => sqliteDialect.beginSql(k)), [['BEGIN'], ['BEGIN IMMEDIATE'], ['BEGIN IMMEDIATE']])
    assert.deepEqual(kinds.map((k) => postgresDialect.beginSql(k)), [['BEGIN'], ['BEGIN'], ['BEGIN ISOLATION LEVEL SERIALIZABLE']])
    assert.deepEqual(kinds.map((k) => mysqlDialect.beginSql(k)), [
      ['START TRANSACTION'], ['START TRANSACTION'], ['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'START TRANSACTION'],
    ])
  })

  it('caps', () => {
    assert.deepEqual(sqliteDialect.caps, { transactionalDdl: true, multiRowInsert: true, insertId: true, syncDriver: true })
    assert.deepEqual(postgresDialect.caps, { transactionalDdl: true, multiRowInsert: true, insertId: false, syncDriver: false })
    assert.deepEqual(mysqlDialect.caps, { transactionalDdl: false, multiRowInsert: true, insertId: true, syncDriver: false })
  })
})

/** Rows in every table, with the self reference, the mutual Dept ↔ Emp cycle and both link tables. */
async function fill(conn: DriverConnection, dialect: Dialect): Promise<void> {
  const q = dialect.flavor.quoteId
  const p = dialect.flavor.placeholder
  const put = (table: string, columns: string[], values: unknown[]): Promise<unknown> => conn.query(insertSql(dialect, table, columns), values)
  await put('person', ['classtype', 'id', 'name', 'status'], ['Person', 1, 'Ann', 'active'])
  await put('person', ['classtype', 'id', 'name', 'status', 'mentor', 'gpa'], ['Student', 2, 'Bob', "it's", 1, 3.5])
  await put('person', ['classtype', 'id', 'name', 'status', 'mentor'], ['Person', 3, 'Cy', 'back\\slash', 2])
  await put('dept', ['id', 'name'], [1, 'R&D'])
  await put('emp', ['id', 'name', 'dept'], [1, 'Eve', 1])
  await conn.query(`UPDATE ${q('dept')} SET ${q('manager')} = ${p(1)} WHERE ${q('id')} = ${p(2)}`, [1, 1])
  await put('person_person', ['person', 'person_2'], [1, 2])
  await put('vehicles', ['id', 'make', 'owner'], [1, 'Fiat', 1])
  await put('tag', ['name'], ['red'])
  await put('car_tag', ['car', 'tag'], [1, 'red'])
  await put('passport', ['code', 'holder'], ['P-1', 2])
  await put('shipment', ['code', 'seq', 'ref'], ['S', 1, 'r-1'])
  await put('line', ['shipment_code', 'shipment_seq', 'qty'], ['S', 1, 5])
  await put(LONG_TABLE, ['owner', 'label'], [2, 'gizmo'])
  await put('sample', ['s'], ['x'])
}

async function tables(conn: DriverConnection, dialect: Dialect): Promise<string[]> {
  return (await conn.query(LIST_TABLES[dialect.name], [])).rows.map((r) => String(r[0]))
}

eachTarget('ddl', (target) => {
  it('creates the schema, is idempotent with ifNotExists, holds cyclic data, and drops with the data in it', async () => {
    await withConnection(target, async (conn, dialect) => {
      await runAll(conn, dialect.dropSchemaSql(ddlModel()))
      await runAll(conn, dialect.createSchemaSql(ddlModel()))
      await runAll(conn, dialect.createSchemaSql(ddlModel(), { ifNotExists: true }))
      assert.deepEqual(await tables(conn, dialect), [...TABLES_DROP_ORDER].sort())
      await fill(conn, dialect)
      const q = dialect.flavor.quoteId
      const nick = await conn.query(`SELECT ${q('nick')}, ${q('age')} FROM ${q('person')} WHERE ${q('id')} = 1`, [])
      assert.deepEqual(nick.rows.map((r) => [r[0], dialect.fromDb(r[1], 'int')]), [['new', 0]], 'sqlDefault applies')
      await assert.rejects(conn.query(insertSql(dialect, 'vehicles', ['make', 'owner']), ['VW', 99]), IntegrityError, 'foreign key enforced')
      await assert.rejects(conn.query(insertSql(dialect, 'person', ['classtype', 'name', 'status']), ['Person', 'Di', 'other']), IntegrityError, 'enum CHECK enforced')
      await assert.rejects(conn.query(insertSql(dialect, 'person', ['classtype', 'name', 'status']), ['Person', 'Di', 'backslash']), IntegrityError, 'enum values are exact')
      const shipment = insertSql(dialect, 'shipment', ['code', 'seq', 'ref', 'day'])
      await conn.query(shipment, ['T', 1, 'r-2', '2024-01-01'])
      await assert.rejects(conn.query(shipment, ['T', 2, 'r-2', '2024-01-01']), IntegrityError, 'composite unique enforced')
      await assert.rejects(conn.query(shipment, ['T', 1, 'r-3', null]), IntegrityError, 'composite primary key enforced')
      await conn.query(`DELETE FROM ${q('person')} WHERE ${q('id')} = 2`, [])
      const left = await conn.query(`SELECT COUNT(*) FROM ${q('person_person')}`, [])
      assert.equal(dialect.fromDb(left.rows[0]![0], 'int'), 0, 'link rows cascade')
      await runAll(conn, dialect.dropSchemaSql(ddlModel()))
      assert.deepEqual(await tables(conn, dialect), [])
    })
  })

  it('runs inside a transaction where DDL is transactional, and drops a cycle with rows inside one', async () => {
    await withConnection(target, async (conn, dialect) => {
      if (!dialect.caps.transactionalDdl) {
        await runAll(conn, dialect.createSchemaSql(ddlModel()))
        await fill(conn, dialect)
        await runAll(conn, dialect.dropSchemaSql(ddlModel()))
        assert.deepEqual(await tables(conn, dialect), [])
        return
      }
      await runAll(conn, ['BEGIN', ...dialect.createSchemaSql(ddlModel()), 'ROLLBACK'])
      assert.deepEqual(await tables(conn, dialect), [], 'rolled back DDL leaves nothing')
      await runAll(conn, ['BEGIN', ...dialect.createSchemaSql(ddlModel()), 'COMMIT'])
      await runAll(conn, ['BEGIN'])
      await fill(conn, dialect)
      await runAll(conn, ['COMMIT', 'BEGIN', ...dialect.dropSchemaSql(ddlModel()), 'COMMIT'])
      assert.deepEqual(await tables(conn, dialect), [])
    })
  })
})
