/**
 * node-postgres errors to pinto errors, by SQLSTATE. Class 23 (integrity
 * constraint violation) is an IntegrityError. Serialization failure, deadlock,
 * lock not available, query canceled and too many connections are
 * OperationalErrors the connection survives; admin shutdown, class 08
 * (connection exception), socket errors and "Connection terminated" lose the
 * connection (fatal). Everything else — class 42 syntax/unknown names, class
 * 22 data errors — is a ProgrammingError.
 */
import { convertDriverError, messageOf, ownCodes, SOCKET_LOST_CODES, type ConvertedError, type ErrorRule, type ErrorTable } from '../shared/errors.js'

const LOST = /connection terminated|not queryable|connection error|timeout exceeded when trying to connect|query read timeout/i

export const postgresErrors: ErrorTable = {
  rules: [
    { code: '23*', kind: 'integrity' },
    { code: '40001', kind: 'operational' },
    { code: '40P01', kind: 'operational' },
    { code: '55P03', kind: 'operational' },
    { code: '57014', kind: 'operational' },
    { code: '53300', kind: 'operational' },
    { code: '57P01', kind: 'operational', fatal: true },
    { code: '57P02', kind: 'operational', fatal: true },
    { code: '57P03', kind: 'operational', fatal: true },
    { code: '08*', kind: 'operational', fatal: true },
    ...SOCKET_LOST_CODES.map((code): ErrorRule => ({ code, kind: 'operational', fatal: true })),
  ],
  codesOf: (error) => ownCodes(error, 'code'),
  isConnectionLoss: (error) => LOST.test(messageOf(error)),
}

export function convertPostgresError(error: unknown, sql: string, params: readonly unknown[]): ConvertedError {
  return convertDriverError(postgresErrors, error, sql, params)
}
