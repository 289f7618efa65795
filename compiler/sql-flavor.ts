/**
 * What the SQL renderer needs to know about a database: quoting, placeholders,
 * capabilities (plain data, never a name comparison) and its function table.
 * Each dialect provides one (`dialects/<name>/sql-flavor.ts`); the compiler
 * only ever reads this interface.
 */
import type { ScalarType } from './schema.js'

/** Functions the compiler emits by abstract name; each flavor spells them in its function table. */
export type SqlFn =
  | 'lower' | 'upper' | 'trim' | 'length' | 'instr' | 'substr' | 'right'
  | 'abs' | 'floor' | 'ceil' | 'trunc' | 'least' | 'greatest' | 'nullif' | 'coalesce' | 'concat' | 'fmod' | 'random'
  | 'year' | 'month' | 'day' | 'weekday' | 'hours' | 'minutes' | 'seconds' | 'milliseconds'
  | 'isNotDistinct' | 'isDistinct' | 'like'
  /** An integer-valued expression as text: `34`, never `34.0` (a driver may bind integers as doubles). */
  | 'intText'
  /**
   * A decimal as a value whose order is numeric order (what `<`, ORDER BY and MIN/MAX of decimals
   * use), and back from one such value taken by MIN/MAX: the value itself where the database
   * stores decimals as numbers; a registered key function where they are text (SQLite).
   */
  | 'decKey' | 'decValue'
  /**
   * SUM and AVG of decimals, exact, from the aggregate's argument as written (with its `DISTINCT `
   * when it has one): the database's own SUM/AVG where decimals are stored as exact numbers
   * (NUMERIC, DECIMAL); registered aggregates where they are text (SQLite).
   */
  | 'decSum' | 'decAvg'

/** What `SqlFlavor.json` reads at a path. */
export type JsonMode = 'text' | 'json' | 'isNull'

/** Types the compiler casts to. */
export type CastType = 'double' | 'int' | 'text'

/** What a function table entry may do besides printing its arguments. */
export interface SqlWriter {
  /** Bind a constant the compiler needs (a character set, a JSON path) and return its placeholder. */
  bind(value: unknown, type: ScalarType | null): string
  /** A string literal written by the compiler itself (never a user value). */
  literal(value: string): string
}

/** Each function: from its rendered arguments to SQL. Infix forms wrap themselves in parentheses. */
export type SqlFunctionTable = Readonly<Record<SqlFn, (args: readonly string[], w: SqlWriter) => string>>

export interface FlavorCaps {
  /** INSERT … RETURNING (PostgreSQL, SQLite ≥ 3.35). */
  readonly returning: boolean
  /** SELECT … FOR UPDATE. */
  readonly forUpdate: boolean
  readonly forUpdateNowait: boolean
  readonly forUpdateSkipLocked: boolean
  /** `NULLS FIRST` / `NULLS LAST` in ORDER BY. */
  readonly nullsOrdering: boolean
  /** Largest number of bound parameters in one statement. */
  readonly maxParams: number
  /** NULLs sort before other values ascending and after them descending by default (SQLite, MySQL). */
  readonly nullsSortLow: boolean
  /** LIKE compares case-sensitively (PostgreSQL; MariaDB with a binary collation); else prefix/suffix/contains use substr/instr. */
  readonly likeCaseSensitive: boolean
  /** `FOR UPDATE OF <alias>` locks only the listed tables. */
  readonly forUpdateOf: boolean
  /** A DELETE/UPDATE may not read its own table in a subquery unless through a derived table (MySQL error 1093). */
  readonly dmlSubqueryNeedsDerived: boolean
  /**
   * How one UPDATE writes many rows that share a shape: `'from-values'` joins a VALUES list
   * (`UPDATE t … FROM v … RETURNING key`, PostgreSQL and SQLite); `'join-union'` joins a derived
   * table of `SELECT ? … UNION ALL …` and reports matched rows only as a count (MySQL/MariaDB);
   * null for one UPDATE per row.
   */
  readonly batchUpdate: 'from-values' | 'join-union' | null
  /** Placeholders carry their position (`$1`, PostgreSQL): one bound value can stand at several places in a statement. */
  readonly numberedParams: boolean
  /**
   * A grouped expression that HAVING repeats is written as the alias of its select item
   * (`SELECT p.age + ? AS bucket … HAVING bucket >= ?`): MySQL/MariaDB look up a HAVING's names
   * among grouped columns, aggregates and select-list aliases only, and refuse `HAVING p.age + ? >= ?`
   * ("Unknown column 'p.age' in 'HAVING'"). PostgreSQL has no aliases in HAVING and needs the expression.
   */
  readonly havingAlias: boolean
}

export interface SqlFlavor {
  /** Used in cache keys and messages only; never compared to choose behaviour. */
  readonly name: string
  readonly caps: FlavorCaps
  /** Quote an identifier, doubling any quote character inside it. */
  quoteId(name: string): string
  /** The placeholder for the parameter at 1-based position `index` (`?` or `$1`). */
  placeholder(index: number): string
  /** How each function the compiler emits is written. */
  readonly functions: SqlFunctionTable
  /** Type names for CAST. */
  readonly castTypes: Readonly<Record<CastType, string>>
  /** The type to cast a bound value to where its position leaves the type unclear, or null for no cast. */
  paramCast(type: ScalarType): string | null
  /** The LIMIT/OFFSET clause (with a leading space), from rendered operands; either may be null. */
  limitOffset(limit: string | null, offset: string | null): string
  /** A string literal (for constants the compiler writes: formats, discriminator names, separators). */
  stringLiteral(value: string): string
  /**
   * A JSON value at `path` inside `arg`: `text` gives an SQL scalar (text, number; NULL for a JSON
   * null or a missing key), `json` a JSON value, `isNull` a parenthesized condition that is true
   * for an explicit JSON null and NULL where the key is missing.
   */
  json(arg: string, path: readonly (string | number)[], mode: JsonMode, w: SqlWriter): string
  /**
   * How a whole list bound as one parameter (a long `includes` list) is sent: as a JS array the
   * driver turns into a database array (`'array'`), or as JSON array text (`'json'`).
   */
  readonly listParam: 'array' | 'json'
  /**
   * A condition true when `arg` equals one of the values of the list bound at `list` (values of
   * `type`, never NULL; possibly empty): `arg = ANY(…)`, `arg IN (SELECT … FROM json_each(…))`.
   */
  inList(arg: string, list: string, type: ScalarType): string
  /** The group-concatenation aggregate. */
  groupConcat(arg: string, separator: string, distinct: boolean): string
}
