/**
 * One session's state for one database: its identity map, its pending
 * changes, and its connection policy. Before the first write, every
 * statement borrows a pooled connection and gives it back at once
 * (autocommit reads, as Pony does); from the first write (or from the start
 * with `immediate`/`serializable`/`forUpdate`) one connection is held inside
 * a transaction until COMMIT or ROLLBACK. A commit whose flush is one
 * statement and nothing else sends it alone, atomic by itself, without
 * BEGIN and COMMIT (`executeSoleWrite`). A connection lost inside a
 * transaction poisons the session: every later call rejects.
 */
import { CommitException, DatabaseSessionIsOver, OperationalError } from '../../compiler/errors.js'
import type { DriverConnection, QueryOptions, QueryResult } from '../../dialects/dialect.js'
import type { Database } from '../database.js'
import type { AttrMeta } from '../model/meta.js'
import { stateOf, type HasState } from '../entity/state.js'
import { IdentityMap } from './identity-map.js'
import type { Session } from './session.js'
import { flushChanges } from './unit-of-work.js'

/** A pending many-to-many change: the owning side's attribute and the two objects. */
export interface LinkChange {
  readonly attr: AttrMeta
  readonly owner: HasState
  readonly target: HasState
}

export class SessionDb {
  readonly identity = new IdentityMap()
  /**
   * Pending changes, each collection made on first use: most sessions only
   * read, and making five empty collections cost more than a session itself.
   */
  private pendingCreated: Set<HasState> | undefined
  private pendingModified: Set<HasState> | undefined
  private pendingDeleted: Set<HasState> | undefined
  private pendingLinkAdds: Map<string, LinkChange> | undefined
  private pendingLinkRemoves: Map<string, LinkChange> | undefined
  /** The same-tick batches waiting to run, by kind (`batch.ts`); made on first use. */
  batchQueues: Map<string, unknown> | undefined = undefined
  private conn: DriverConnection | null = null
  private poisonedBy: unknown = null
  private flushing: Promise<void> | null = null
  private beginning: Promise<void> | null = null

  constructor(readonly session: Session, readonly db: Database) {}

  /** New objects, inserted at the next flush. */
  get created(): Set<HasState> {
    return (this.pendingCreated ??= new Set())
  }

  /** Loaded objects with changed attributes. */
  get modified(): Set<HasState> {
    return (this.pendingModified ??= new Set())
  }

  /** Objects deleted, removed at the next flush. */
  get deleted(): Set<HasState> {
    return (this.pendingDeleted ??= new Set())
  }

  /** Link rows to add and remove, keyed so that add-then-remove cancels out. */
  get linkAdds(): Map<string, LinkChange> {
    return (this.pendingLinkAdds ??= new Map())
  }

  get linkRemoves(): Map<string, LinkChange> {
    return (this.pendingLinkRemoves ??= new Map())
  }

  get inTransaction(): boolean {
    return this.conn !== null
  }

  /** The connection held inside the open transaction, or null (diagnostics and tests). */
  get heldConnection(): DriverConnection | null {
    return this.conn
  }

  get hasChanges(): boolean {
    return (this.pendingCreated?.size ?? 0) > 0 || (this.pendingModified?.size ?? 0) > 0 || (this.pendingDeleted?.size ?? 0) > 0 ||
      (this.pendingLinkAdds?.size ?? 0) > 0 || (this.pendingLinkRemoves?.size ?? 0) > 0
  }

  /** Throw unless the session can still run statements. */
  assertUsable(): void {
    if (!this.session.alive) throw new DatabaseSessionIsOver('the dbSession is over: start a new dbSession to load or change objects')
    if (this.poisonedBy !== null) {
      throw new OperationalError('this session lost its connection inside a transaction; nothing more can run in it (start a new dbSession)', {
        sql: '', params: [], cause: this.poisonedBy,
      })
    }
  }

  /**
   * The connection policy, for one statement: 'begin' when it must first open
   * the transaction (a write, or any statement of an `immediate`/`serializable`
   * session, with none open yet), 'held' when it runs on the transaction's
   * connection, 'pool' when it borrows a pooled connection for itself alone.
   * `execute` and `tryExecuteSync` both follow it.
   */
  private route(write: boolean): 'begin' | 'held' | 'pool' {
    if (this.conn !== null) return 'held'
    return write || this.session.eager ? 'begin' : 'pool'
  }

  /** Run one statement under the connection policy. `write` statements start (or join) the transaction. */
  execute(sql: string, params: readonly unknown[], write: boolean, options?: QueryOptions): Promise<QueryResult> {
    try {
      this.assertUsable()
    } catch (error) {
      return Promise.reject(error)
    }
    switch (this.route(write)) {
      case 'begin': return this.beginThenExecute(sql, params, write, options)
      case 'held': return this.run(this.conn!, sql, params, options)
      case 'pool': return this.runPooled(sql, params, options)
    }
  }

  /**
   * The only write of a flush at commit (the flush certified that nothing is
   * written before or after it): with no transaction open, it runs alone on a
   * pooled connection, atomic by itself, instead of BEGIN, the statement and
   * COMMIT (three round trips for one). Otherwise an ordinary write. Run alone,
   * the statement is the commit: a connection lost during it leaves the
   * outcome unknown, a CommitException with `outcomeUnknown`, as during COMMIT.
   */
  executeSoleWrite(sql: string, params: readonly unknown[]): Promise<QueryResult> {
    if (this.route(false) !== 'pool') return this.execute(sql, params, true)
    try {
      this.assertUsable()
    } catch (error) {
      return Promise.reject(error)
    }
    return this.runAlone(sql, params)
  }

  /** The sole write on a pooled connection, without BEGIN: the pooled path, with a lost connection an unknown outcome. */
  private runAlone(sql: string, params: readonly unknown[]): Promise<QueryResult> {
    return this.runPooled(sql, params, undefined, lostDuring('a write that commits by itself'))
  }

  /** Run on a pooled connection borrowed for this statement alone; `mapError` may replace the statement's error. */
  private runPooled(sql: string, params: readonly unknown[], options?: QueryOptions, mapError?: ErrorMapper): Promise<QueryResult> {
    const idle = this.db.tryAcquireFor(this)
    return idle !== undefined ? this.runAndRelease(idle, sql, params, options, mapError) : this.acquireThenExecute(sql, params, options, mapError)
  }

  private async beginThenExecute(sql: string, params: readonly unknown[], write: boolean, options?: QueryOptions): Promise<QueryResult> {
    await this.begin()
    return this.execute(sql, params, write, options)
  }

  private async acquireThenExecute(sql: string, params: readonly unknown[], options?: QueryOptions, mapError?: ErrorMapper): Promise<QueryResult> {
    const conn = await this.db.acquireFor(this)
    try {
      this.assertUsable()
    } catch (error) {
      this.db.release(conn)
      throw error
    }
    return this.runAndRelease(conn, sql, params, options, mapError)
  }

  /** Run on a borrowed connection and give it back, whatever happens. */
  private runAndRelease(conn: DriverConnection, sql: string, params: readonly unknown[], options?: QueryOptions, mapError?: ErrorMapper): Promise<QueryResult> {
    return this.run(conn, sql, params, options).then(
      (result) => {
        this.db.release(conn)
        return result
      },
      (error: unknown) => {
        this.db.release(conn)
        throw mapError === undefined ? error : mapError(error, conn)
      },
    )
  }

  /** No flush pending or running and no BEGIN under way: a read needs nothing before it. */
  get settled(): boolean {
    return this.flushing === null && this.beginning === null && !this.hasChanges
  }

  /**
   * A read answered in this tick, on a synchronous driver with nothing
   * pending and a connection free (the held one, or an idle pooled one the
   * pool lends for this one statement), or undefined when it must take the
   * async path of `execute`.
   */
  tryExecuteSync(sql: string, params: readonly unknown[], options?: QueryOptions): QueryResult | undefined {
    this.assertUsable()
    if (!this.db.dialect.caps.syncDriver || !this.settled) return undefined
    switch (this.route(false)) {
      case 'begin': return undefined
      case 'held': return this.runSync(this.conn!, sql, params, options)
      case 'pool': {
        const idle = this.db.idleConnectionNow()
        return idle === undefined ? undefined : this.runSync(idle, sql, params, options)
      }
    }
  }

  private runSync(conn: DriverConnection, sql: string, params: readonly unknown[], options?: QueryOptions): QueryResult {
    const start = performance.now()
    let result: QueryResult
    try {
      result = conn.querySync!(sql, params, options)
    } catch (error) {
      if (conn.broken && conn === this.conn) this.poison(error)
      throw error
    }
    this.logStatement(sql, params, start, result)
    return result
  }

  private logStatement(sql: string, params: readonly unknown[], start: number, result: QueryResult): void {
    this.db.log.record(sql, params, performance.now() - start, result.rows.length > 0 ? result.rows.length : result.affected, this.session)
  }

  /** Stream rows; inside a transaction on the held connection, otherwise on a borrowed one. */
  async *stream(sql: string, params: readonly unknown[]): AsyncGenerator<unknown[]> {
    this.assertUsable()
    if (this.session.eager && this.conn === null) await this.begin()
    const held = this.conn
    const conn = held ?? (await this.db.acquireFor(this))
    try {
      yield* conn.stream(sql, params)
    } finally {
      if (held === null) this.db.release(conn)
    }
  }

  private async run(conn: DriverConnection, sql: string, params: readonly unknown[], options?: QueryOptions): Promise<QueryResult> {
    const start = performance.now()
    let result: QueryResult
    try {
      result = await conn.query(sql, params, options)
    } catch (error) {
      if (conn.broken && conn === this.conn) this.poison(error)
      throw error
    }
    this.logStatement(sql, params, start, result)
    return result
  }

  /** The server rolled the transaction back when the connection went: its objects are detached, as after a rollback. */
  private poison(error: unknown): void {
    this.poisonedBy = error
    const conn = this.conn
    this.conn = null
    this.detachAll()
    if (conn !== null) this.db.release(conn)
  }

  /** Take a connection and BEGIN (no-op when a transaction is open; concurrent callers share one BEGIN). */
  async begin(): Promise<void> {
    this.assertUsable()
    if (this.conn !== null) return
    if (this.beginning === null) {
      this.session.noteTransactionStart()
      this.beginning = this.open().finally(() => {
        this.beginning = null
      })
    }
    return this.beginning
  }

  /** Acquire and BEGIN; a session that ended meanwhile (its client went away) gets nothing and holds nothing. */
  private async open(): Promise<void> {
    const conn = await this.db.acquireFor(this)
    this.db.log.event('connection taken', this.session)
    const options = { serializable: this.session.options.serializable === true, immediate: this.session.options.immediate === true }
    try {
      this.assertUsable()
      for (const sql of this.db.dialect.beginSql(options)) await this.run(conn, sql, [])
      this.assertUsable()
    } catch (error) {
      this.db.release(conn)
      throw error
    }
    this.conn = conn
    this.db.log.event('BEGIN', this.session)
  }

  /** Send pending changes (one flush at a time); `atCommit`: the session commits right after, whatever this flush writes. */
  async flush(atCommit = false): Promise<void> {
    if (this.flushing !== null) return this.flushing
    if (this.poisonedBy !== null) this.assertUsable()
    if (!this.hasChanges) return
    this.assertUsable()
    this.flushing = flushChanges(this, atCommit).finally(() => {
      this.flushing = null
    })
    return this.flushing
  }

  async commit(): Promise<void> {
    this.assertUsable()
    try {
      await this.flush(true)
    } catch (error) {
      await this.rollback().catch(() => undefined)
      throw error
    }
    const conn = this.conn
    if (conn === null) return
    try {
      await this.run(conn, 'COMMIT', [])
      this.db.log.event('COMMIT', this.session)
    } catch (error) {
      const lost = conn.broken
      this.conn = null
      this.db.release(conn)
      this.detachAll()
      throw lost ? unknownOutcome('COMMIT', error) : new CommitException(`COMMIT failed: ${(error as Error).message}`, { cause: error, outcomeUnknown: false })
    }
    this.conn = null
    this.db.release(conn)
    this.db.log.event('connection released', this.session)
  }

  /** Roll back; the identity map is emptied and its objects detached. */
  async rollback(): Promise<void> {
    const conn = this.conn
    this.conn = null
    this.detachAll()
    if (conn === null) return
    try {
      if (!conn.broken) await this.run(conn, 'ROLLBACK', [])
      this.db.log.event('ROLLBACK', this.session)
    } finally {
      this.db.release(conn)
      this.db.log.event('connection released', this.session)
    }
  }

  private detachAll(): void {
    for (const obj of this.identity.all()) stateOf(obj).status = 'detached'
    for (const obj of this.pendingCreated ?? []) stateOf(obj).status = 'detached'
    this.identity.clear()
    this.pendingCreated = undefined
    this.pendingModified = undefined
    this.pendingDeleted = undefined
    this.pendingLinkAdds = undefined
    this.pendingLinkRemoves = undefined
  }

  /** Give back any held connection (every exit path of a session calls this). */
  release(): void {
    const conn = this.conn
    if (conn === null) return
    this.conn = null
    this.db.release(conn)
  }

  /** The session is over; with `strict`, objects forget their values. */
  end(strict: boolean): void {
    if (!strict) return
    for (const obj of this.identity.all()) {
      stateOf(obj).forget()
    }
  }
}

/** What a statement's error becomes, given the connection it ran on. */
type ErrorMapper = (error: unknown, conn: DriverConnection) => unknown

/** The connection went while a statement that is itself a commit ran (COMMIT, or a write run alone): whether it landed is unknown. */
function unknownOutcome(what: string, cause: unknown): CommitException {
  return new CommitException(`the connection was lost during ${what}: the outcome is unknown (the write may have landed)`, { cause, outcomeUnknown: true })
}

/** For a write that is its own commit: a lost connection is an unknown outcome; any other error stays as it is. */
function lostDuring(what: string): ErrorMapper {
  return (error, conn) => (conn.broken ? unknownOutcome(what, error) : error)
}
