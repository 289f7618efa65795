/**
 * The CLI's readable output of a migration plan: a summary per table (one
 * line per change, `+` added, `-` dropped, `~` changed), the data that would
 * be lost, then the SQL. Colour is ANSI, used only when asked (a TTY with
 * NO_COLOR unset, decided by the caller).
 */
import type { Change, MigrationPlan } from '../migrations/types.js'

export interface Paint {
  readonly green: (s: string) => string
  readonly red: (s: string) => string
  readonly yellow: (s: string) => string
  readonly bold: (s: string) => string
  readonly dim: (s: string) => string
}

const ansi = (code: number) => (s: string): string => `\u001b[${code}m${s}\u001b[0m`
export const colours: Paint = { green: ansi(32), red: ansi(31), yellow: ansi(33), bold: ansi(1), dim: ansi(2) }
const plain = (s: string): string => s
export const noColours: Paint = { green: plain, red: plain, yellow: plain, bold: plain, dim: plain }

function mark(kind: Change['kind'], paint: Paint): string {
  if (kind.startsWith('add') || kind === 'createTable') return paint.green('+')
  if (kind.startsWith('drop')) return paint.red('-')
  return paint.yellow('~')
}

function what(change: Change): string {
  const noun = change.kind.replace(/^(create|drop|add|alter|rename)/, '').replace(/^[A-Z]/, (c) => c.toLowerCase())
  const verb = /^(create|drop|add|alter|rename)/.exec(change.kind)?.[1] ?? change.kind
  const subject = change.column === undefined ? noun : `${noun === 'column' ? 'column' : `${noun} of`} ${change.column}`
  return `${verb} ${subject}: ${change.detail}`
}

/** The summary of a plan, one block per table. */
export function formatChanges(plan: MigrationPlan, paint: Paint): string[] {
  const byTable = new Map<string, Change[]>()
  for (const change of plan.changes) {
    if (!byTable.has(change.table)) byTable.set(change.table, [])
    byTable.get(change.table)!.push(change)
  }
  const lines: string[] = []
  for (const [table, changes] of byTable) {
    lines.push(paint.bold(table))
    for (const change of changes) lines.push(`  ${mark(change.kind, paint)} ${what(change)}`)
  }
  const losses = plan.dataLoss.filter((l) => l.rows > 0)
  if (losses.length > 0) {
    lines.push('', paint.red('Data that would be lost (refused without --allow-data-loss):'))
    for (const l of losses) lines.push(`  ${l.column === undefined ? `table ${l.table}` : `column ${l.table}.${l.column}`}: ${l.rows} row(s) (${l.reason})`)
  }
  if (plan.blocked.length > 0) {
    lines.push('', paint.red('Cannot run:'))
    for (const b of plan.blocked) lines.push(`  ${b}`)
  }
  return lines
}

/** The statements, each ending in `;`. */
export function formatSql(statements: readonly string[]): string[] {
  return statements.map((s) => `${s};`)
}
