/** MySQL/MariaDB's SQL flavor: backquoted identifiers, `?` placeholders. */
import type { SqlFlavor } from '../../compiler/sql-flavor.js'

export const mysqlFlavor: SqlFlavor = {
  name: 'mysql',
  caps: { returning: false, forUpdate: true, forUpdateNowait: true, forUpdateSkipLocked: true, nullsOrdering: false, maxParams: 65535 },
  quoteId: (name) => `\`${name.replaceAll('`', '``')}\``,
  placeholder: () => '?',
}
