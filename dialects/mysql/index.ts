/** MySQL/MariaDB as a pinto dialect: flavor, DDL, values and the mysql2 driver. */
import type { Dialect } from '../dialect.js'
import { beginSql, createSchemaSql, dropSchemaSql } from './ddl.js'
import { createMysqlPool } from './driver.js'
import { mysqlFlavor } from './sql-flavor.js'
import { fromDb, toDb } from './values.js'
import { mysqlIntrospector } from './introspect.js'

export const mysqlDialect: Dialect = {
  name: 'mysql',
  flavor: mysqlFlavor,
  caps: { transactionalDdl: false, multiRowInsert: true, insertId: true, syncDriver: false },
  createPool: createMysqlPool,
  createSchemaSql,
  dropSchemaSql,
  beginSql,
  explainSql: (sql) => `EXPLAIN ${sql}`,
  toDb,
  fromDb,
  introspect: mysqlIntrospector,
}
