/**
 * pinto's error classes. Every error a user can see is an `OrmError` with a
 * stable `code`; database errors carry the SQL, its params and the driver's
 * original error as `cause`. This module sits at the bottom of the layers
 * (compiler ← dialects ← runtime), so all of them can throw these.
 */

export class OrmError extends Error {
  readonly code: string = 'ORM_ERROR'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
  /** pinto's TypeError extends the global TypeError, yet is an OrmError too. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
    return this === OrmError && value instanceof OrmTypeError
  }
}

/** A lambda that cannot be translated; the message quotes it with a caret. */
export class TranslationError extends OrmError {
  override readonly code = 'TRANSLATION_ERROR'
}
/** A mistake in the model: names the entity and attribute. */
export class ERDiagramError extends OrmError {
  override readonly code = 'ER_DIAGRAM_ERROR'
}
/** The model cannot be mapped to the database (binding, table mismatch). */
export class MappingError extends OrmError {
  override readonly code = 'MAPPING_ERROR'
}
export class ObjectNotFound extends OrmError {
  override readonly code = 'OBJECT_NOT_FOUND'
}
export class MultipleObjectsFoundError extends OrmError {
  override readonly code = 'MULTIPLE_OBJECTS_FOUND'
}
export class TransactionError extends OrmError {
  override readonly code = 'TRANSACTION_ERROR'
}
export class DatabaseSessionIsOver extends OrmError {
  override readonly code = 'DATABASE_SESSION_IS_OVER'
}
export class OptimisticCheckError extends OrmError {
  override readonly code = 'OPTIMISTIC_CHECK_ERROR'
}
export class UnrepeatableReadError extends OrmError {
  override readonly code = 'UNREPEATABLE_READ'
}
/** COMMIT failed; `outcomeUnknown` is true when the connection was lost during it. */
export class CommitException extends OrmError {
  override readonly code = 'COMMIT_EXCEPTION'
  readonly outcomeUnknown: boolean
  constructor(message: string, options: { cause?: unknown; outcomeUnknown: boolean }) {
    super(message, options)
    this.outcomeUnknown = options.outcomeUnknown
  }
}
export class RollbackException extends OrmError {
  override readonly code = 'ROLLBACK_EXCEPTION'
}
/** A duplicate primary or unique key among the objects of one session. */
export class CacheIndexError extends OrmError {
  override readonly code = 'CACHE_INDEX_ERROR'
}
/** A delete that a relation forbids, detected before any SQL. */
export class ConstraintError extends OrmError {
  override readonly code = 'CONSTRAINT_ERROR'
}
/** An attribute or collection read before it was loaded. */
export class UnloadedError extends OrmError {
  override readonly code = 'UNLOADED_ERROR'
}
/** A value that breaks an attribute's rules (null into required, maxLen, min, check …). */
export class ValueError extends OrmError {
  override readonly code = 'VALUE_ERROR'
}
/**
 * A value of the wrong JavaScript type for an attribute. pinto's own
 * TypeError is an OrmError (and also `instanceof` the global TypeError).
 */
export class OrmTypeError extends TypeError {
  readonly code = 'TYPE_ERROR'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TypeError'
  }
}

/** Details every database error carries. */
export interface DatabaseErrorDetails {
  sql: string
  params: readonly unknown[]
  cause: unknown
  /** The driver's error code or SQLSTATE (e.g. '23505', 'ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE'). */
  driverCode?: string | undefined
}

/** An error reported by the database, normalised across drivers. */
export class DatabaseError extends OrmError {
  override readonly code: string = 'DATABASE_ERROR'
  readonly sql: string
  readonly params: readonly unknown[]
  readonly driverCode: string | undefined
  constructor(message: string, details: DatabaseErrorDetails) {
    super(message, { cause: details.cause })
    this.sql = details.sql
    this.params = details.params
    this.driverCode = details.driverCode
  }
}
/** Unique, foreign key, not null or check constraint violated. */
export class IntegrityError extends DatabaseError {
  override readonly code = 'INTEGRITY_ERROR'
}
/** Connection lost, deadlock, serialization failure, lock timeout, pool exhausted. */
export class OperationalError extends DatabaseError {
  override readonly code = 'OPERATIONAL_ERROR'
}
/** Bad SQL, unknown table or column. */
export class ProgrammingError extends DatabaseError {
  override readonly code = 'PROGRAMMING_ERROR'
}

/** `name` after its indefinite article, for messages: 'a Course', 'an Owner'. */
export function aOrAn(name: string): string {
  return `${/^[AEIOUaeiou]/.test(name) ? 'an' : 'a'} ${name}`
}
