/**
 * What a migration plan says, as data: each change (kind, table, column, a
 * readable detail), what it would lose (rows holding data in a dropped or
 * narrowed place), what cannot run at all, and the statements in order.
 */
import type { MigrationStep } from '../../dialects/shared/introspect-types.js'

export type ChangeKind =
  | 'createTable' | 'dropTable'
  | 'addColumn' | 'dropColumn' | 'renameColumn'
  | 'alterType' | 'alterNullability' | 'alterDefault'
  | 'addIndex' | 'dropIndex'
  | 'addForeignKey' | 'dropForeignKey'
  | 'addCheck' | 'dropCheck'
  | 'alterPrimaryKey'

export interface Change {
  readonly kind: ChangeKind
  readonly table: string
  readonly column?: string
  /** Readable: `VARCHAR(50) → VARCHAR(100) (widening)`, `unique (email)` … */
  readonly detail: string
}

export interface DataLoss {
  readonly table: string
  /** Absent for a dropped table. */
  readonly column?: string
  /** Rows that hold data the change would lose (or, for a required column, rows holding NULL). */
  readonly rows: number
  readonly reason: string
}

export interface MigrationPlan {
  /** The statements, in order, for the bound dialect. */
  readonly sql: string[]
  readonly changes: Change[]
  /** Changes that could lose data, with how many rows hold data there; apply refuses those with rows > 0 unless allowDataLoss. */
  readonly dataLoss: DataLoss[]
  /** Changes that cannot run as the database stands (a required column without default on a table with rows). */
  readonly blocked: string[]
  /** The statements with the phase each runs in (internal to apply). */
  readonly steps: MigrationStep[]
}

export interface PlanOptions {
  /**
   * Column renames, `'table.oldColumn': 'newColumn'`: the column is renamed
   * (data kept) instead of dropped and added.
   */
  readonly renames?: Readonly<Record<string, string>>
}

export interface ApplyOptions extends PlanOptions {
  /** Recorded in the history table; a name applied before cannot be applied again. */
  readonly name: string
  /** Run changes that drop or narrow columns and tables holding data. */
  readonly allowDataLoss?: boolean
}

export interface ApplyResult {
  /** False when the database already matched the model (nothing ran, nothing recorded). */
  readonly applied: boolean
  readonly name: string
  readonly statements: string[]
  readonly changes: Change[]
  readonly checksum: string | null
}
