/**
 * Deterministic constraint and index names that fit a database's identifier
 * limit (PostgreSQL 63 bytes, MySQL/MariaDB 64 characters). A name that is too
 * long keeps its beginning and ends in `_` plus 8 hex digits of its SHA-1, so
 * two long names that share a prefix stay distinct and the same model always
 * gives the same names.
 */
import { createHash } from 'node:crypto'

const HASH_LENGTH = 8

/**
 * `name` itself when it fits in `maxBytes` UTF-8 bytes; otherwise a truncated name with a hash suffix.
 *
 *     fitName('idx_a_table_name_that_is_rather_long_for_testing_identifier_limits__owner', 63)
 *     // 'idx_a_table_name_that_is_rather_long_for_testing_ident_6eef78fb'
 */
export function fitName(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name, 'utf8') <= maxBytes) return name
  const hash = createHash('sha1').update(name).digest('hex').slice(0, HASH_LENGTH)
  let head = name
  while (Buffer.byteLength(head, 'utf8') > maxBytes - HASH_LENGTH - 1) head = [...head].slice(0, -1).join('')
  return `${head}_${hash}`
}

/** `fk_car__owner`: the prefix, the table and the columns, fitted to the limit. */
export function constraintName(prefix: string, table: string, columns: readonly string[], maxBytes: number): string {
  return fitName(`${prefix}_${table}__${columns.join('_')}`, maxBytes)
}
