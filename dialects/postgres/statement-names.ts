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
 * row count) stay unnamed too: each would hold a large plan on every
 * connection for a parse that is small next to its execution. Whether a given connection has parsed a
 * name is node-postgres's business (per client, so a new client re-parses).
 */

export const MAX_NAMED_STATEMENTS = 2000
export const MAX_NAMED_PARAMS = 100

const NAMEABLE = /^\s*\(*\s*(?:SELECT|INSERT|UPDATE|DELETE|WITH)\b/i

export class StatementNames {
  private readonly names = new Map<string, string>()
  /** Texts without parameters seen once: named when they come again. */
  private readonly seenOnce = new Set<string>()

  constructor(private readonly limit = MAX_NAMED_STATEMENTS) {}

  /** The statement name for `sql`, or undefined to run it unnamed. */
  nameFor(sql: string, paramCount: number): string | undefined {
    const known = this.names.get(sql)
    if (known !== undefined) return known
    if (this.names.size >= this.limit || paramCount > MAX_NAMED_PARAMS || !NAMEABLE.test(sql)) return undefined
    if (paramCount === 0 && !this.repeated(sql)) return undefined
    const name = `pinto_${this.names.size + 1}`
    this.names.set(sql, name)
    return name
  }

  get size(): number {
    return this.names.size
  }

  private repeated(sql: string): boolean {
    if (this.seenOnce.delete(sql)) return true
    if (this.seenOnce.size >= this.limit) this.seenOnce.clear()
    this.seenOnce.add(sql)
    return false
  }
}

/** The process-wide names every PostgreSQL pool shares. */
export const statementNames = new StatementNames()
