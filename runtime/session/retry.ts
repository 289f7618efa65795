/**
 * When a session re-runs its function, and how long it waits first. By
 * default it retries serialization failures and deadlocks: PostgreSQL
 * 40001/40P01, MySQL 1213 (deadlock) and 1205 (lock wait timeout), SQLite
 * busy/locked (any extended code), and the conflicts pinto itself detects
 * (`OptimisticCheckError`, `UnrepeatableReadError`: another transaction
 * changed a row this session read; Pony retries them too). A COMMIT that failed with one of these is
 * retried too (PostgreSQL reports some serialization failures only at
 * COMMIT), but never a COMMIT whose outcome is unknown, a lost connection, a
 * unique violation or any other error. The wait is "full jitter": uniform in
 * [0, min(cap, base · 2^attempt)), so that sessions that collided once do not
 * collide again in step.
 */
import { CommitException, OperationalError, OptimisticCheckError, UnrepeatableReadError } from '../../compiler/errors.js'

const RETRYABLE_CODES = new Set(['40001', '40P01', 'ER_LOCK_DEADLOCK', '1213', 'ER_LOCK_WAIT_TIMEOUT', '1205'])
const RETRYABLE_PREFIXES = ['SQLITE_BUSY', 'SQLITE_LOCKED']

const BACKOFF_BASE_MS = 5
const BACKOFF_CAP_MS = 100

export function isRetryable(error: unknown): boolean {
  if (error instanceof CommitException) return !error.outcomeUnknown && isRetryable(error.cause)
  if (error instanceof OptimisticCheckError || error instanceof UnrepeatableReadError) return true
  if (!(error instanceof OperationalError) || error.driverCode === undefined) return false
  const code = error.driverCode
  return RETRYABLE_CODES.has(code) || RETRYABLE_PREFIXES.some((prefix) => code.startsWith(prefix))
}

/** The wait before attempt `attempt + 1` (attempt counts from 1), in ms. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt)
}
