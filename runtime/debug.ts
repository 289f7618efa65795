/**
 * Seeing the SQL: the global `setSqlDebug` switch, the per-database
 * `db.on('query')` listeners and `db.stats()`. Every statement pinto sends
 * passes through `QueryLog.record`, with transaction events (connection
 * taken and released, BEGIN, COMMIT, ROLLBACK) logged beside them.
 */

export interface QueryEvent {
  readonly sql: string
  readonly params: readonly unknown[]
  readonly durationMs: number
  /** Rows returned (SELECT) or affected (INSERT/UPDATE/DELETE). */
  readonly rows: number
}

export interface SqlDebugOptions {
  readonly showValues?: boolean
  readonly logger?: (line: string) => void
}

interface DebugSetting {
  enabled: boolean
  showValues: boolean
  logger: (line: string) => void
}

const stderrLogger = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

const globalDebug: DebugSetting = { enabled: false, showValues: false, logger: stderrLogger }

/**
 * Log every statement, its params (with `showValues`) and its time.
 * @example setSqlDebug(true, { showValues: true })
 */
export function setSqlDebug(enabled: boolean, options: SqlDebugOptions = {}): void {
  globalDebug.enabled = enabled
  globalDebug.showValues = options.showValues ?? false
  globalDebug.logger = options.logger ?? stderrLogger
}

export interface StatementStats {
  readonly sql: string
  count: number
  totalMs: number
  maxMs: number
}

/** A session's own debug switch, from `dbSession({ sqlDebug, showValues })`. */
export interface SessionDebug {
  readonly sqlDebug: boolean
  readonly showValues: boolean
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 200 ? `${value.slice(0, 200)}…` : value}'`
  if (typeof value === 'bigint') return `${value}n`
  if (value instanceof Uint8Array) return `<${value.length} bytes>`
  if (value instanceof Date) return value.toISOString()
  return String(value)
}

/**
 * `db.stats()` keeps one entry per SQL text for the first MAX_STATS_TEXTS
 * texts; statements with any later text are counted together under
 * OTHER_STATEMENTS, so a program that writes values into raw SQL text cannot
 * grow the table without bound.
 */
export const MAX_STATS_TEXTS = 5000
export const OTHER_STATEMENTS = '(other statements: db.stats() keeps the first 5000 SQL texts apart)'

export class QueryLog {
  private readonly listeners: ((event: QueryEvent) => void)[] = []
  private readonly stats = new Map<string, StatementStats>()

  on(listener: (event: QueryEvent) => void): void {
    this.listeners.push(listener)
  }

  off(listener: (event: QueryEvent) => void): void {
    const i = this.listeners.indexOf(listener)
    if (i >= 0) this.listeners.splice(i, 1)
  }

  private count(sql: string, durationMs: number): void {
    let s = this.stats.get(sql)
    if (s === undefined) {
      const text = this.stats.size < MAX_STATS_TEXTS ? sql : OTHER_STATEMENTS
      s = this.stats.get(text)
      if (s === undefined) {
        s = { sql: text, count: 0, totalMs: 0, maxMs: 0 }
        this.stats.set(text, s)
      }
    }
    s.count++
    s.totalMs += durationMs
    if (durationMs > s.maxMs) s.maxMs = durationMs
  }

  /**
   * One statement that returned or touched `rows` rows: counted in `db.stats()` (always on, so every
   * statement is timed), sent to listeners, logged when asked. The event object is made only for a
   * listener: most statements have none.
   */
  record(sql: string, params: readonly unknown[], durationMs: number, rows: number, session: SessionDebug | null): void {
    this.count(sql, durationMs)
    const listeners = this.listeners
    if (listeners.length > 0) {
      const event: QueryEvent = { sql, params, durationMs, rows }
      for (const listener of listeners) listener(event)
    }
    const enabled = globalDebug.enabled || session?.sqlDebug === true
    if (!enabled) return
    const showValues = globalDebug.showValues || session?.showValues === true
    let line = `SQL (${durationMs.toFixed(2)} ms, ${rows} rows): ${sql}`
    if (showValues && params.length > 0) line += `\n  params: [${params.map(formatValue).join(', ')}]`
    globalDebug.logger(line)
  }

  /** A transaction event (connection taken/released, BEGIN, COMMIT, ROLLBACK). */
  event(text: string, session: SessionDebug | null): void {
    if (globalDebug.enabled || session?.sqlDebug === true) globalDebug.logger(`-- ${text}`)
  }

  snapshot(): StatementStats[] {
    return [...this.stats.values()].map((s) => ({ ...s }))
  }
}
