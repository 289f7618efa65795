/** PostgreSQL as a pinto dialect: flavor, DDL, values and the node-postgres driver. */
import type { Dialect } from '../dialect.js'
import { beginSql, createSchemaSql, dropSchemaSql } from './ddl.js'
import { createPostgresPool } from './driver.js'
import { postgresFlavor } from './sql-flavor.js'
import { fromDb, toDb } from './values.js'
import { postgresIntrospector } from './introspect.js'

export const postgresDialect: Dialect = {
  name: 'postgres',
  flavor: postgresFlavor,
  caps: { transactionalDdl: true, multiRowInsert: true, insertId: false, syncDriver: false },
  createPool: createPostgresPool,
  createSchemaSql,
  dropSchemaSql,
  beginSql,
  explainSql: (sql) => `EXPLAIN ${sql}`,
  toDb,
  fromDb,
  introspect: postgresIntrospector,
}
