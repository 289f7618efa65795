/** PostgreSQL's SQL flavor: double-quoted identifiers, `$n` placeholders. */
import type { SqlFlavor } from '../../compiler/sql-flavor.js'

export const postgresFlavor: SqlFlavor = {
  name: 'postgres',
  caps: { returning: true, forUpdate: true, forUpdateNowait: true, forUpdateSkipLocked: true, nullsOrdering: true, maxParams: 65535 },
  quoteId: (name) => `"${name.replaceAll('"', '""')}"`,
  placeholder: (index) => `$${index}`,
}
