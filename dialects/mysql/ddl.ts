/**
 * MySQL/MariaDB's DDL rules for the shared builder. Tables are InnoDB with
 * `utf8mb4_nopad_bin`, so string comparison is exact: case, accents and
 * trailing spaces all count (SEMANTICS #4–#6). Dates are `DATETIME(3)` holding
 * UTC, decimals `DECIMAL(p, s)` (default 30, 10), JSON the `JSON` type. A
 * String without `maxLen` is LONGTEXT (TEXT holds only 64 KB, which the other
 * databases do not limit); TEXT and BLOB columns cannot be indexed without a
 * prefix length, so in a key, an index or a foreign key it becomes
 * `VARCHAR(255)` (bytes `VARBINARY(255)`). Foreign keys are
 * added after all tables exist; dropping switches FOREIGN_KEY_CHECKS off.
 * The collation is MariaDB's; MySQL 8 would need `utf8mb4_0900_bin`.
 */
import type { ColumnInfo } from '../../compiler/schema.js'
import { createSchemaStatements, decimalSize, dropSchemaStatements, enumLength, plainAddForeignKey, type DdlRules, type ForeignKeyParts } from '../shared/ddl.js'
import type { Dialect } from '../dialect.js'
import { mysqlFlavor } from './sql-flavor.js'

export const CHARSET = 'utf8mb4'
export const COLLATION = 'utf8mb4_nopad_bin'
/** Length of a keyed String without maxLen: 255 characters, 1020 bytes in utf8mb4. */
export const KEYED_TEXT_LENGTH = 255

function columnType(col: ColumnInfo, keyed: boolean): string {
  switch (col.type) {
    case 'string': case 'longstr':
      if (col.maxLen !== undefined) return `VARCHAR(${col.maxLen})`
      return keyed ? `VARCHAR(${KEYED_TEXT_LENGTH})` : 'LONGTEXT'
    case 'enum': return `VARCHAR(${enumLength(col)})`
    case 'int': return 'INT'
    case 'bigint': return 'BIGINT'
    case 'number': return 'DOUBLE'
    case 'boolean': return 'BOOLEAN'
    case 'date': return 'DATETIME(3)'
    case 'dateonly': return 'DATE'
    case 'decimal': return `DECIMAL(${decimalSize(col)})`
    case 'uuid': return 'CHAR(36)'
    case 'bytes': return keyed ? `VARBINARY(${KEYED_TEXT_LENGTH})` : 'LONGBLOB'
    case 'json': return 'JSON'
  }
}

function addForeignKey(fk: ForeignKeyParts, ifNotExists: boolean): string {
  if (!ifNotExists) return plainAddForeignKey(fk)
  return `ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} FOREIGN KEY IF NOT EXISTS (${fk.columns}) REFERENCES ${fk.references}`
}

export const mysqlDdlRules: DdlRules = {
  quoteId: mysqlFlavor.quoteId,
  maxNameBytes: 64,
  stringLiteral: mysqlFlavor.stringLiteral,
  columnType,
  autoIncrement: (col) => ({ definition: `${columnType(col, true)} NOT NULL AUTO_INCREMENT`, declaresPrimaryKey: false }),
  inlineForeignKeys: false,
  tableOptions: ` ENGINE=InnoDB DEFAULT CHARSET=${CHARSET} COLLATE=${COLLATION}`,
  addForeignKey,
  dropTables: (tables) => [
    'SET FOREIGN_KEY_CHECKS = 0',
    ...tables.map((t) => `DROP TABLE IF EXISTS ${t}`),
    'SET FOREIGN_KEY_CHECKS = 1',
  ],
}

export const createSchemaSql: Dialect['createSchemaSql'] = (schema, options) => createSchemaStatements(mysqlDdlRules, schema, options)
export const dropSchemaSql: Dialect['dropSchemaSql'] = (schema) => dropSchemaStatements(mysqlDdlRules, schema)

export const beginSql: Dialect['beginSql'] = ({ serializable }) =>
  serializable ? ['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'START TRANSACTION'] : ['START TRANSACTION']
