/**
 * better-sqlite3 errors to pinto errors. SqliteError carries an extended
 * result code (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_BUSY_SNAPSHOT` …): any
 * constraint failure is an IntegrityError; busy, locked, I/O and similar
 * conditions are OperationalErrors; everything else (syntax, unknown table,
 * bad bindings) is a ProgrammingError. SQLite connections are never lost.
 */
import { convertDriverError, ownCodes, type ConvertedError, type ErrorTable } from '../shared/errors.js'

export const sqliteErrors: ErrorTable = {
  rules: [
    { code: 'SQLITE_CONSTRAINT*', kind: 'integrity' },
    { code: 'SQLITE_BUSY*', kind: 'operational' },
    { code: 'SQLITE_LOCKED*', kind: 'operational' },
    { code: 'SQLITE_CANTOPEN*', kind: 'operational' },
    { code: 'SQLITE_IOERR*', kind: 'operational' },
    { code: 'SQLITE_FULL', kind: 'operational' },
    { code: 'SQLITE_NOMEM', kind: 'operational' },
    { code: 'SQLITE_INTERRUPT', kind: 'operational' },
    { code: 'SQLITE_PROTOCOL', kind: 'operational' },
    { code: 'SQLITE_READONLY*', kind: 'operational' },
  ],
  codesOf: (error) => ownCodes(error, 'code'),
}

export function convertSqliteError(error: unknown, sql: string, params: readonly unknown[]): ConvertedError {
  return convertDriverError(sqliteErrors, error, sql, params)
}
