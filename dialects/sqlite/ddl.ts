/**
 * SQLite's DDL rules for the shared builder. Dates, decimals, uuids and JSON
 * are TEXT (TEXT affinity keeps '1.50' and '123' as written; dates are
 * fixed-width UTC text, so text order is time order), booleans and integers
 * INTEGER-affine. An auto-increment key is `INTEGER PRIMARY KEY` (the rowid).
 * Foreign keys are declared inside CREATE TABLE, which SQLite resolves lazily,
 * so self and mutual references need nothing special. Dropping turns foreign
 * keys off (outside a transaction) and defers them (inside one), so tables
 * with cycles and rows drop in any order.
 */
import type { ColumnInfo } from '../../compiler/schema.js'
import { createSchemaStatements, dropSchemaStatements, enumLength, plainAddForeignKey, type DdlRules } from '../shared/ddl.js'
import type { Dialect } from '../dialect.js'
import { sqliteFlavor } from './sql-flavor.js'

function columnType(col: ColumnInfo): string {
  switch (col.type) {
    case 'string': return col.maxLen === undefined ? 'TEXT' : `VARCHAR(${col.maxLen})`
    case 'enum': return `VARCHAR(${enumLength(col)})`
    case 'int': case 'bigint': return 'INTEGER'
    case 'number': return 'REAL'
    case 'boolean': return 'BOOLEAN'
    case 'bytes': return 'BLOB'
    case 'longstr': case 'date': case 'dateonly': case 'decimal': case 'uuid': case 'json': return 'TEXT'
  }
}

export const sqliteDdlRules: DdlRules = {
  quoteId: sqliteFlavor.quoteId,
  /** SQLite has no limit; 64 keeps a model's names the same as on MySQL. */
  maxNameBytes: 64,
  stringLiteral: sqliteFlavor.stringLiteral,
  columnType,
  autoIncrement: () => ({ definition: 'INTEGER PRIMARY KEY', declaresPrimaryKey: true }),
  inlineForeignKeys: true,
  tableOptions: '',
  addForeignKey: plainAddForeignKey,
  dropTables: (tables) => [
    'PRAGMA defer_foreign_keys = ON',
    'PRAGMA foreign_keys = OFF',
    ...tables.map((t) => `DROP TABLE IF EXISTS ${t}`),
    'PRAGMA foreign_keys = ON',
  ],
}

export const createSchemaSql: Dialect['createSchemaSql'] = (schema, options) => createSchemaStatements(sqliteDdlRules, schema, options)
export const dropSchemaSql: Dialect['dropSchemaSql'] = (schema) => dropSchemaStatements(sqliteDdlRules, schema)

/** SQLite is serializable already; `immediate` or `serializable` take the write lock at BEGIN. */
export const beginSql: Dialect['beginSql'] = ({ serializable, immediate }) => [immediate || serializable ? 'BEGIN IMMEDIATE' : 'BEGIN']
