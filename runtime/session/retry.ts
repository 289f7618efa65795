/**
 * Which errors a session retries by default: serialization failures and
 * deadlocks (PostgreSQL 40001/40P01, MySQL 1213 and lock-wait timeout 1205,
 * SQLite busy/locked). A unique violation or a lost COMMIT never is.
 */
import { OperationalError } from '../../compiler/errors.js'

const RETRYABLE_CODES = new Set([
  '40001', '40P01',
  'ER_LOCK_DEADLOCK', '1213', 'ER_LOCK_WAIT_TIMEOUT', '1205',
  'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED',
])

export function isRetryable(error: unknown): boolean {
  return error instanceof OperationalError && error.driverCode !== undefined && RETRYABLE_CODES.has(error.driverCode)
}
