/**
 * Driver errors to pinto errors, table-driven. Each dialect lists rules
 * (an exact code, or a prefix ending in `*`) mapping a driver's error code to
 * `IntegrityError`, `OperationalError` or `ProgrammingError`, and whether the
 * error leaves the connection unusable (`fatal`: the pool destroys it instead
 * of reusing it). `convertDriverError` builds the pinto error: the driver's
 * message plus ` — SQL: <sql>`, carrying `sql`, `params`, `cause` and
 * `driverCode`.
 */
import { DatabaseError, IntegrityError, OperationalError, ProgrammingError } from '../../compiler/errors.js'

export type ErrorKind = 'integrity' | 'operational' | 'programming'

export interface ErrorRule {
  /** An exact code (`'23505'`, `'ER_DUP_ENTRY'`) or a prefix ending in `*` (`'23*'`, `'SQLITE_CONSTRAINT*'`). */
  readonly code: string
  readonly kind: ErrorKind
  /** The connection cannot be used again. */
  readonly fatal?: boolean
}

export interface ErrorTable {
  readonly rules: readonly ErrorRule[]
  /** The codes a driver error carries; the first one is reported as `driverCode`. */
  codesOf(error: unknown): readonly string[]
  /** Errors without a matching code that still mean the connection is gone (e.g. "Connection terminated"). */
  isConnectionLoss?(error: unknown): boolean
}

/**
 * Node's socket error codes that mean the connection to the server is gone
 * (or was never made); node-postgres and mysql2 both pass them through as
 * the error's `code`. Each network dialect marks them fatal.
 */
export const SOCKET_LOST_CODES: readonly string[] = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH']

/** `driverCode` of a lost connection the driver reports without a code ("Connection terminated unexpectedly"). */
export const CONNECTION_LOST = 'CONNECTION_LOST'

export interface ConvertedError {
  readonly error: DatabaseError
  readonly fatal: boolean
}

/** The longest SQL text quoted in a message; the full text stays in `error.sql`. */
const MAX_SQL_IN_MESSAGE = 1000

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}

function matches(rule: ErrorRule, code: string): boolean {
  return rule.code.endsWith('*') ? code.startsWith(rule.code.slice(0, -1)) : code === rule.code
}

function quoteSql(sql: string): string {
  return sql.length <= MAX_SQL_IN_MESSAGE ? sql : `${sql.slice(0, MAX_SQL_IN_MESSAGE)}…`
}

/** Classify a driver error with a dialect's table; unknown errors are ProgrammingErrors. */
export function classify(table: ErrorTable, error: unknown): { kind: ErrorKind; fatal: boolean; code: string | undefined } {
  const codes = table.codesOf(error)
  for (const code of codes) {
    const rule = table.rules.find((r) => matches(r, code))
    if (rule !== undefined) return { kind: rule.kind, fatal: rule.fatal === true, code: codes[0] }
  }
  if (table.isConnectionLoss?.(error) === true) return { kind: 'operational', fatal: true, code: codes[0] ?? CONNECTION_LOST }
  return { kind: 'programming', fatal: false, code: codes[0] }
}

/** Build the pinto error for a driver error raised by `sql` with `params`. */
export function convertDriverError(table: ErrorTable, error: unknown, sql: string, params: readonly unknown[]): ConvertedError {
  if (error instanceof DatabaseError) return { error, fatal: false }
  const { kind, fatal, code } = classify(table, error)
  const message = sql === '' ? messageOf(error) : `${messageOf(error)} — SQL: ${quoteSql(sql)}`
  const details = { sql, params, cause: error, driverCode: code }
  const Class = kind === 'integrity' ? IntegrityError : kind === 'operational' ? OperationalError : ProgrammingError
  return { error: new Class(message, details), fatal }
}

/** String codes of an error object: `code` and (numeric) `errno`, when present. */
export function ownCodes(error: unknown, ...keys: string[]): string[] {
  if (typeof error !== 'object' || error === null) return []
  const out: string[] = []
  for (const key of keys) {
    const value = (error as Record<string, unknown>)[key]
    if (typeof value === 'string' || typeof value === 'number') out.push(String(value))
  }
  return out
}
