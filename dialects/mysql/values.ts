/**
 * MySQL/MariaDB's value encoders. Parameters go through the binary protocol
 * with their JS type (numbers as DOUBLE, SEMANTICS #24), so: dates as
 * 'YYYY-MM-DD HH:MM:SS.sss' UTC text for DATETIME(3); bigints stay bigints
 * (the driver sends them as typed BIGINT parameters); booleans stay booleans
 * (TINY); bytes as Buffers (BLOB); JSON as its text.
 */
import { sqlUtc } from '../shared/text-formats.js'
import { fromDb, toDbWith } from '../shared/values.js'

export const toDb = toDbWith({
  date: sqlUtc,
})

export { fromDb }
