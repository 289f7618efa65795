/** SQLite's SQL flavor: double-quoted identifiers, `?` placeholders. */
import type { SqlFlavor } from '../../compiler/sql-flavor.js'

export const sqliteFlavor: SqlFlavor = {
  name: 'sqlite',
  caps: { returning: true, forUpdate: false, forUpdateNowait: false, forUpdateSkipLocked: false, nullsOrdering: true, maxParams: 32766 },
  quoteId: (name) => `"${name.replaceAll('"', '""')}"`,
  placeholder: () => '?',
}
