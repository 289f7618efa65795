/**
 * pinto's public API: everything `import { … } from 'pinto'` gives.
 * See ../shared/API.md for the contract.
 */
export { Database } from './database.js'
export type { BindOptions, ProviderName } from '../dialects/dialect.js'
export { primaryKey, required, optional, set, computed, Int, Json, Enum, DateOnly, Decimal, Uuid, LongStr } from './model/attributes.js'
export type { AttrOptions, TypeMarker } from './model/attributes.js'
export type { Instance, CreateArgs, EntityClass } from './model/types.js'
export { Entity } from './entity/entity.js'
export { Collection } from './entity/collection.js'
export type { EntityStatics } from './entity/statics.js'
export { Query } from './query/query.js'
export type { PrefetchNav } from './query/prefetch.js'
export { makeProxy } from './proxy/proxy.js'
export type { EntityProxy } from './proxy/proxy.js'
export { select } from './query/select.js'
export { dbSession, commit, rollback, flush } from './session/session.js'
export type { SessionOptions } from './session/session.js'
export { setSqlDebug } from './debug.js'
export type { QueryEvent, StatementStats, SqlDebugOptions } from './debug.js'
export { count, sum, avg, min, max, exists, between, like, coalesce, concat, groupConcat, distinct, desc, raw } from './query-helpers.js'
export {
  OrmError, TranslationError, ERDiagramError, MappingError, ObjectNotFound, MultipleObjectsFoundError,
  TransactionError, DatabaseSessionIsOver, OptimisticCheckError, UnrepeatableReadError, CommitException,
  RollbackException, CacheIndexError, ConstraintError, UnloadedError, ValueError, OrmTypeError,
  OrmTypeError as TypeError, DatabaseError, IntegrityError, OperationalError, ProgrammingError,
} from '../compiler/errors.js'
export { sql, SqlFragment, SqlIdentifier } from './raw-sql/template.js'
export type { SqlTag } from './raw-sql/template.js'
export type { Row } from './raw-sql/run.js'
export { Migrations } from './migrations/migrations.js'
export { MigrationFailed, MigrationRefused, DataLossRefused } from './migrations/apply.js'
export { ConnectionNotRestored } from './migrations/restore.js'
export type { Change, ChangeKind, DataLoss, MigrationPlan, PlanOptions, ApplyOptions, ApplyResult } from './migrations/types.js'
export type { HistoryEntry } from './migrations/history.js'
