/**
 * The CLI's exit code for an error it caught: 2 when apply refused the plan
 * (a `MigrationRefused` or `DataLossRefused`), 1 for anything else. A refusal
 * is recognised by its `Symbol.for` brand, not by `instanceof`: the CLI may
 * come from one installed copy of pinto and the config's Database from
 * another, each with its own class.
 *
 *     exitCodeOf(new DataLossRefused('…', losses))  // 2
 *     exitCodeOf(new Error('connection refused'))    // 1
 */
import { isMigrationRefused } from '../migrations/apply.js'

export function exitCodeOf(error: unknown): 1 | 2 {
  return isMigrationRefused(error) ? 2 : 1
}
