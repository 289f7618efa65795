/**
 * PostgreSQL's value encoders. Parameters travel as text in the extended
 * protocol and the server types them from the column they meet, so bigints
 * are sent as decimal text and dates as ISO UTC text (for `timestamptz(3)`);
 * bytes as Buffers (bytea), booleans as booleans, JSON as its text (jsonb).
 */
import { fromDb, toDbWith } from '../shared/values.js'

export const toDb = toDbWith({
  bigint: (n) => n.toString(),
  date: (d) => d.toISOString(),
})

export { fromDb }
