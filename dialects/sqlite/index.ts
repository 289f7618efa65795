/** SQLite as a pinto dialect: flavor, DDL, values and the better-sqlite3 driver. */
import type { Dialect } from '../dialect.js'
import { beginSql, createSchemaSql, dropSchemaSql } from './ddl.js'
import { createSqlitePool } from './driver.js'
import { sqliteFlavor } from './sql-flavor.js'
import { fromDb, toDb } from './values.js'
import { sqliteIntrospector } from './introspect.js'

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  flavor: sqliteFlavor,
  caps: { transactionalDdl: true, multiRowInsert: true, insertId: true, syncDriver: true },
  createPool: createSqlitePool,
  createSchemaSql,
  dropSchemaSql,
  beginSql,
  explainSql: (sql) => `EXPLAIN QUERY PLAN ${sql}`,
  toDb,
  fromDb,
  introspect: sqliteIntrospector,
}
