/**
 * The shape of a live schema as migrations read it, the same for every
 * database: tables with their columns (type normalised to one spelling per
 * dialect, nullability, default), primary key, indexes (unique ones
 * included), foreign keys and enum CHECK constraints (by the string literals
 * they allow, since each database rewrites the expression its own way).
 * Each `dialects/<name>/introspect.ts` reads one from the catalog and writes
 * the ALTER statements that move a table towards another.
 */
import type { ScalarType } from '../../compiler/schema.js'
import type { ResultColumn } from '../dialect.js'

export interface LiveColumn {
  readonly name: string
  /** Normalised type: the same text for the model's DDL type and the catalog's. */
  readonly type: string
  readonly nullable: boolean
  /** Normalised default expression, or null. */
  readonly default: string | null
  readonly autoIncrement: boolean
}

export interface LiveIndex {
  readonly name: string
  readonly columns: readonly string[]
  readonly unique: boolean
}

export interface LiveForeignKey {
  readonly name: string
  readonly columns: readonly string[]
  readonly refTable: string
  readonly refColumns: readonly string[]
  /** 'CASCADE', 'SET NULL' or 'NO ACTION' (RESTRICT counts as NO ACTION). */
  readonly onDelete: string
}

export interface LiveCheck {
  readonly name: string
  /** The string literals of the constraint, sorted: the values of an Enum column. */
  readonly values: readonly string[]
}

export interface LiveTable {
  readonly name: string
  readonly columns: readonly LiveColumn[]
  readonly primaryKey: readonly string[]
  readonly indexes: readonly LiveIndex[]
  readonly foreignKeys: readonly LiveForeignKey[]
  readonly checks: readonly LiveCheck[]
}

/** Runs one catalog query on the migration's connection. */
export type CatalogQuery = (sql: string, params?: readonly unknown[]) => Promise<unknown[][]>

/** One column definition of CREATE TABLE: the whole line, its type and its DEFAULT text as written. */
export interface ColumnSql {
  /** `"age" INTEGER NOT NULL` */
  readonly line: string
  readonly type: string
  readonly default: string | null
}

/** What a table needs from the model's DDL to be altered: its CREATE TABLE pieces, by name. */
export interface TableDdl {
  readonly table: LiveTable
  /** The CREATE TABLE statement the model's DDL uses (no IF NOT EXISTS). */
  readonly create: string
  /** Column name → its definition in CREATE TABLE. */
  readonly columnSql: ReadonlyMap<string, ColumnSql>
  /** Check name → its `CONSTRAINT … CHECK (…)` text. */
  readonly checkSql: ReadonlyMap<string, string>
  /** Index name → CREATE INDEX statement. */
  readonly indexSql: ReadonlyMap<string, string>
  /** Foreign key signature → ALTER TABLE … ADD CONSTRAINT statement (empty for inline foreign keys). */
  readonly foreignKeySql: ReadonlyMap<string, string>
}

/** How one existing table changes; the writer turns it into statements. */
export interface TableAlteration {
  readonly from: LiveTable
  readonly to: TableDdl
  /** Old column name → new name. */
  readonly renames: ReadonlyMap<string, string>
  readonly addColumns: readonly string[]
  readonly dropColumns: readonly string[]
  /** Columns whose type, nullability or default change (by new name). */
  readonly alterColumns: readonly string[]
  readonly dropChecks: readonly LiveCheck[]
  readonly addChecks: readonly string[]
  readonly primaryKeyChanged: boolean
}

/** One statement of a migration, and whether it must run outside the transaction. */
export interface MigrationStep {
  readonly sql: string
  readonly phase: 'before' | 'main' | 'after'
  /** A check: the statement must return no rows (SQLite's `PRAGMA foreign_key_check`). */
  readonly expectNoRows?: boolean
  /**
   * How to see that the step took effect (SQLite ignores `PRAGMA foreign_keys`
   * inside an open transaction and says nothing): a statement whose first
   * value must equal `expected` afterwards.
   */
  readonly readBack?: { readonly sql: string; readonly expected: string }
}

/** The per-database half of migrations. */
export interface Introspector {
  /** Every base table of the current schema/database. */
  readSchema(query: CatalogQuery): Promise<LiveTable[]>
  /** A DDL type of the model in the catalog's normalised spelling. */
  normalizeType(sqlType: string): string
  /** A DEFAULT expression in the catalog's normalised spelling. */
  normalizeDefault(expr: string | null): string | null
  /** What a raw result column holds, from the driver's description; null when only the JS value can tell. */
  resultType(column: ResultColumn): ScalarType | null
  /**
   * Statements altering one table. `rebuilt` means the table was recreated
   * with every index and foreign key of the model (SQLite), so the caller
   * leaves its indexes and foreign keys alone.
   */
  alterTable(change: TableAlteration): { steps: MigrationStep[]; rebuilt: boolean }
  dropIndex(table: string, index: string): string
  dropForeignKey(table: string, name: string): string
  /** True when foreign keys are part of CREATE TABLE and change only by rebuilding (SQLite). */
  readonly inlineForeignKeys: boolean
  /** Steps wrapped around the whole migration (SQLite turns foreign keys off and checks them). */
  wrap(steps: readonly MigrationStep[]): MigrationStep[]
}
