/**
 * mysql2 errors to pinto errors, by server error number (and mysql2's client
 * codes). Duplicate key, foreign key, NOT NULL, missing default and CHECK
 * violations are IntegrityErrors; deadlock, lock wait timeout, statement
 * time limits and too many connections are OperationalErrors; "server has
 * gone away", "lost connection", "connection was killed" and socket errors
 * lose the connection (fatal). The rest (syntax, unknown table or column …)
 * are ProgrammingErrors. `driverCode` is mysql2's `code` ('ER_DUP_ENTRY').
 */
import { convertDriverError, messageOf, ownCodes, SOCKET_LOST_CODES, type ConvertedError, type ErrorRule, type ErrorTable } from '../shared/errors.js'

const integrity = ['1062', '1586', '1451', '1452', '1216', '1217', '1048', '1364', '3819', '4025']
const operational = ['1213', '1205', '1969', '3024', '1317', '1040', '1203', '3572']
const fatal = ['2006', '2013', '1927', '1053', '2055', 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', ...SOCKET_LOST_CODES]

const LOST = /closed state|connection lost|connection is closed/i

export const mysqlErrors: ErrorTable = {
  rules: [
    ...integrity.map((code): ErrorRule => ({ code, kind: 'integrity' })),
    ...operational.map((code): ErrorRule => ({ code, kind: 'operational' })),
    ...fatal.map((code): ErrorRule => ({ code, kind: 'operational', fatal: true })),
  ],
  codesOf: (error) => ownCodes(error, 'code', 'errno'),
  isConnectionLoss: (error) =>
    (typeof error === 'object' && error !== null && (error as { fatal?: unknown }).fatal === true) || LOST.test(messageOf(error)),
}

export function convertMysqlError(error: unknown, sql: string, params: readonly unknown[]): ConvertedError {
  const converted = convertDriverError(mysqlErrors, error, sql, params)
  const flagged = typeof error === 'object' && error !== null && (error as { fatal?: unknown }).fatal === true
  return flagged && !converted.fatal ? { error: converted.error, fatal: true } : converted
}
