/**
 * The ambient session. `dbSession(fn)` runs `fn` inside a `Session` kept in
 * AsyncLocalStorage, so entity and query calls find it without passing it
 * around. The session commits when `fn` returns, rolls back when it throws
 * (unless the error is allowed), retries the whole function on a retryable
 * error (outermost session only, with a fresh identity map each attempt and
 * jittered backoff), and always gives its connections back. A nested
 * `dbSession` joins the outer one.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { CommitException, OrmError, TransactionError } from '../../compiler/errors.js'
import type { SessionDebug } from '../debug.js'
import type { Database } from '../database.js'
import { SessionDb } from './session-db.js'
import { backoffMs, isRetryable } from './retry.js'

type ErrorClass = abstract new (...args: never[]) => unknown
export type ErrorMatcher = readonly ErrorClass[] | ((error: unknown) => boolean)

export interface SessionOptions {
  /** Re-run the whole function up to n more times on a retryable error. */
  readonly retry?: number
  /** Which errors are retried (default: serialization failures, deadlocks, SQLite busy, optimistic-check conflicts). */
  readonly retryExceptions?: ErrorMatcher
  /** Errors that still commit the session before they are rethrown. */
  readonly allowedExceptions?: ErrorMatcher
  /** Take a connection and begin at once (SQLite BEGIN IMMEDIATE). */
  readonly immediate?: boolean
  readonly serializable?: boolean
  /** Clear objects at the end; reading them afterwards throws. */
  readonly strict?: boolean
  /** Optimistic checks on UPDATE/DELETE (default true). */
  readonly optimistic?: boolean
  readonly sqlDebug?: boolean
  readonly showValues?: boolean
  /** Allow DDL statements in this session. */
  readonly ddl?: boolean
}

const storage = new AsyncLocalStorage<Session>()

export class Session implements SessionDebug {
  alive = true
  /** Per-database state, in first-use order (an array: a session almost always uses one database). */
  private readonly dbs: SessionDb[] = []
  /** Where the session was started, for pool-exhaustion diagnostics. */
  /** Where the session began its transaction (captured at BEGIN, formatted on demand). */
  private beganAt: (() => string) | string | null = null
  readonly sqlDebug: boolean
  readonly showValues: boolean

  constructor(readonly options: SessionOptions, readonly label: string | undefined) {
    this.sqlDebug = options.sqlDebug ?? false
    this.showValues = options.showValues ?? false
  }

  /** With `immediate` or `serializable`, every statement runs in a transaction, from the first one on. */
  get eager(): boolean {
    return this.options.immediate === true || this.options.serializable === true
  }

  /** Called when the session begins a transaction: remember where, cheaply. */
  noteTransactionStart(): void {
    if (this.beganAt === null) this.beganAt = captureStack()
  }

  /** The session's name and where it began its transaction, for diagnostics. */
  get startedAt(): string {
    if (typeof this.beganAt === 'function') this.beganAt = this.beganAt()
    const name = this.label ?? 'a dbSession'
    return this.beganAt === null ? name : `${name} (transaction begun at ${this.beganAt})`
  }

  get optimistic(): boolean {
    return this.options.optimistic ?? true
  }

  /** This session's state for one database, created on first use. */
  forDb(db: Database): SessionDb {
    const dbs = this.dbs
    for (let i = 0; i < dbs.length; i++) if (dbs[i]!.db === db) return dbs[i]!
    const state = new SessionDb(this, db)
    dbs.push(state)
    return state
  }

  async flush(): Promise<void> {
    for (const state of this.dbs) await state.flush()
  }

  async commit(): Promise<void> {
    for (const state of this.dbs) await state.commit()
  }

  async rollback(): Promise<void> {
    for (const state of this.dbs) await state.rollback()
  }

  /**
   * End a session that has nothing to commit and holds nothing (no change,
   * no transaction, nothing under way) now, without a promise; false when it
   * needs the full `close`.
   */
  closeAtOnce(): boolean {
    const dbs = this.dbs
    for (let i = 0; i < dbs.length; i++) if (!dbs[i]!.settled || dbs[i]!.inTransaction) return false
    this.alive = false
    for (let i = 0; i < dbs.length; i++) dbs[i]!.end(this.options.strict === true)
    return true
  }

  /**
   * End the session: commit (when `success`) or roll back, and release every
   * connection whatever happens. The session is over before the rollback
   * starts, so code still running in it (a request whose client went away)
   * cannot begin anything new; a database whose COMMIT was not reached
   * because another one's failed is rolled back too.
   */
  async close(success: boolean): Promise<void> {
    try {
      if (success) await this.commit()
    } finally {
      this.alive = false
      for (const state of this.dbs) {
        if (state.inTransaction) await state.rollback().catch(() => undefined)
        state.release()
        state.end(this.options.strict === true)
      }
    }
  }
}

/**
 * Which session holds a connection, for pool-exhaustion diagnostics: the
 * wrapped function's name (free) and, once the session begins a transaction
 * (the moment it starts holding a connection), the stack at that point. The
 * stack is captured only then and formatted only if a diagnostic asks, since
 * capturing one per session would cost more than a primary-key lookup.
 */
function captureStack(): () => string {
  const holder: { stack?: string } = {}
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 40
  Error.captureStackTrace(holder, captureStack)
  Error.stackTraceLimit = limit
  return () => {
    const lines = holder.stack?.split('\n') ?? []
    const frame = lines.find((line, i) => i > 0 && !line.includes('/runtime/') && !line.includes('node:'))
    return frame?.trim().replace(/^at /, '') ?? 'unknown'
  }
}

/** The session of the current async context, or undefined. */
export function currentSession(): Session | undefined {
  const s = storage.getStore()
  return s !== undefined && s.alive ? s : undefined
}

/** The current session, or a TransactionError saying a dbSession is required. */
export function requireSession(what: string): Session {
  const s = storage.getStore()
  if (s === undefined || !s.alive) {
    throw new TransactionError(`dbSession is required: ${what} must run inside dbSession(...) or dbSession.run(...)`)
  }
  return s
}

function matches(matcher: ErrorMatcher | undefined, error: unknown): boolean {
  if (matcher === undefined) return false
  if (typeof matcher === 'function') return matcher(error)
  return matcher.some((cls) => error instanceof cls)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * One attempt: run `fn` in a new session, then commit, or roll back on error.
 * Written with `then` rather than `await` (and a session with nothing to
 * commit ends at once), since each promise costs a hook under AsyncLocalStorage.
 */
function runOnce<T>(options: SessionOptions, label: string | undefined, fn: () => Promise<T>): Promise<T> {
  const session = new Session(options, label)
  let running: Promise<T>
  try {
    running = Promise.resolve(storage.run(session, fn))
  } catch (error) {
    running = Promise.reject(error)
  }
  return running.then(
    (result) => (session.closeAtOnce() ? result : storage.run(session, () => session.close(true)).then(() => result)),
    (error: unknown) => closeAfterError(session, options, error),
  )
}

async function closeAfterError(session: Session, options: SessionOptions, error: unknown): Promise<never> {
  if (matches(options.allowedExceptions, error)) {
    await storage.run(session, () => session.close(true))
  } else {
    await storage.run(session, () => session.close(false)).catch(() => undefined)
  }
  throw error
}

/** Run `fn` in a session (or join the current one); `label` names it in pool diagnostics. */
export function runSession<T>(options: SessionOptions, fn: () => Promise<T>, label?: string): Promise<T> {
  const outer = storage.getStore()
  if (outer !== undefined && outer.alive) {
    if (options.retry !== undefined && options.retry > 0) {
      return Promise.reject(new TransactionError('a nested dbSession cannot retry: only the outermost session re-runs its function; move { retry } to the outer dbSession'))
    }
    try {
      return Promise.resolve(fn())
    } catch (error) {
      return Promise.reject(error)
    }
  }
  if (options.retry === undefined || options.retry <= 0) return runOnce(options, label, fn)
  return runWithRetry(options, fn, label)
}

async function runWithRetry<T>(options: SessionOptions, fn: () => Promise<T>, label: string | undefined): Promise<T> {
  const attempts = 1 + Math.max(0, options.retry ?? 0)
  for (let attempt = 1; ; attempt++) {
    try {
      return await runOnce(options, label, fn)
    } catch (error) {
      const retryable = options.retryExceptions !== undefined ? matches(options.retryExceptions, error) : isRetryable(error)
      if (attempt >= attempts || !retryable || (error instanceof CommitException && error.outcomeUnknown)) throw error
      await sleep(backoffMs(attempt))
    }
  }
}

type AsyncFn<A extends unknown[], R> = (...args: A) => Promise<R>

interface DbSessionFn {
  /** Wrap an async function: each call runs in a session. */
  <A extends unknown[], R>(fn: AsyncFn<A, R>): AsyncFn<A, R>
  /** With options: `dbSession({ retry: 3 })(fn)`, or as a method decorator `@dbSession()`. */
  (options?: SessionOptions): SessionWrapper
  /** Run a block in a session now. */
  run<R>(fn: () => Promise<R>, options?: SessionOptions): Promise<R>
  run<R>(options: SessionOptions, fn: () => Promise<R>): Promise<R>
}

/** What `dbSession(options)` returns: a wrapper for functions that is also a TS 5 method decorator. */
export interface SessionWrapper {
  <A extends unknown[], R>(fn: AsyncFn<A, R>, context?: ClassMethodDecoratorContext): AsyncFn<A, R>
}

function wrap<A extends unknown[], R>(options: SessionOptions, fn: AsyncFn<A, R>): AsyncFn<A, R> {
  if (typeof fn !== 'function') throw new OrmError('dbSession wraps an async function')
  const wrapped = function (this: unknown, ...args: A): Promise<R> {
    return runSession(options, () => fn.apply(this, args), fn.name === '' ? undefined : fn.name)
  }
  Object.defineProperty(wrapped, 'name', { value: fn.name })
  return wrapped
}

/**
 * Run functions in a database session (Pony's `db_session`).
 * @example
 * const addPerson = dbSession(async (name: string) => new Person({ name, age: 1 }))
 * await dbSession.run(async () => Person.select(p => p.age > 18).fetch())
 */
export const dbSession: DbSessionFn = Object.assign(
  (arg?: SessionOptions | AsyncFn<unknown[], unknown>): unknown => {
    if (typeof arg === 'function') return wrap({}, arg)
    const options = arg ?? {}
    return (fn: AsyncFn<unknown[], unknown>) => wrap(options, fn)
  },
  {
    run<R>(a: SessionOptions | (() => Promise<R>), b?: SessionOptions | (() => Promise<R>)): Promise<R> {
      const fn = (typeof a === 'function' ? a : b) as () => Promise<R>
      const options = (typeof a === 'function' ? b : a) as SessionOptions | undefined
      return runSession(options ?? {}, fn)
    },
  },
) as DbSessionFn

/** Send pending changes now. */
export async function flush(): Promise<void> {
  await requireSession('flush()').flush()
}
/** Commit the current transaction; the session goes on. */
export async function commit(): Promise<void> {
  await requireSession('commit()').commit()
}
/** Roll back the current transaction; the session goes on with an empty cache. */
export async function rollback(): Promise<void> {
  await requireSession('rollback()').rollback()
}
