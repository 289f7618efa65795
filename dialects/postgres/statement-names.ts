/**
 * Names for PostgreSQL server-side prepared statements, one per SQL text and
 * the same for the whole process (`pinto_1`, `pinto_2`, …), so a connection
 * parses a statement once and then only binds and executes it. Only plain
 * data statements (SELECT, INSERT, UPDATE, DELETE, WITH) get a name, and
 * only when they are worth it: they take parameters, or the same text comes
 * a second time (pinto's compiled queries and fixed DML repeat their text).
 * The names are bounded (2,000 texts by default): past that, statements run
 * unnamed, so a program producing endless distinct SQL cannot make every
 * server session grow without bound. Statements with more than 100
 * parameters (multi-row INSERTs, batched UPDATEs, whose text varies with the
 * row count) are named only when the same text comes a second time, and at
 * most 16 of them: each holds a large plan on every connection, worth it for
 * a batch size a program repeats (a full batch of 1,000 rows: its parse was
 * 1.3 ms of a 7 ms INSERT), not for every size it ever sends. Whether a given connection has parsed a
 * name is node-postgres's business (per client, so a new client re-parses).
 */

export const MAX_NAMED_STATEMENTS = 2000
export const MAX_NAMED_PARAMS = 100
export const MAX_LARGE_NAMED = 16

const NAMEABLE = /^\s*\(*\s*(?:SELECT|INSERT|UPDATE|DELETE|WITH)\b/i

export class StatementNames {
  private readonly names = new Map<string, string>()
  /** Texts without parameters seen once: named when they come again. */
  private readonly seenOnce = new Set<string>()
  /** The same for texts with more than MAX_NAMED_PARAMS parameters (kept apart: they are large). */
  private readonly largeSeenOnce = new Set<string>()
  private large = 0

  constructor(private readonly limit = MAX_NAMED_STATEMENTS) {}

  /** The statement name for `sql`, or undefined to run it unnamed. */
  nameFor(sql: string, paramCount: number): string | undefined {
    const known = this.names.get(sql)
    if (known !== undefined) return known
    if (this.names.size >= this.limit || !NAMEABLE.test(sql)) return undefined
    if (paramCount > MAX_NAMED_PARAMS) {
      if (this.large >= MAX_LARGE_NAMED || !repeated(this.largeSeenOnce, sql, MAX_LARGE_NAMED * 4)) return undefined
      this.large++
    } else if (paramCount === 0 && !repeated(this.seenOnce, sql, this.limit)) {
      return undefined
    }
    const name = `pinto_${this.names.size + 1}`
    this.names.set(sql, name)
    return name
  }

  get size(): number {
    return this.names.size
  }

}

/** Whether `sql` was seen once before (then forgotten); otherwise remember it, in a set of at most `cap` texts. */
function repeated(seen: Set<string>, sql: string, cap: number): boolean {
  if (seen.delete(sql)) return true
  if (seen.size >= cap) seen.clear()
  seen.add(sql)
  return false
}

/** The process-wide names every PostgreSQL pool shares. */
export const statementNames = new StatementNames()
