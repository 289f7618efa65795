/**
 * A small generic connection pool with a FIFO wait queue. It opens up to
 * `size` connections lazily, hands idle ones to waiters in arrival order, and
 * rejects a waiter with `OperationalError` ("pool exhausted: …") after
 * `acquireTimeoutMs`. A connection marked `broken` (lost, killed) is closed
 * instead of being reused, and its slot is refilled on demand. Every dialect's
 * driver uses this one pool; only `open` and `close` differ.
 */
import { MappingError, OperationalError } from '../../compiler/errors.js'
import type { PoolStatus } from '../dialect.js'

export interface Pooled {
  readonly broken: boolean
  /** Close the underlying connection; must not throw. */
  close(): Promise<void>
}

export interface PoolConfig<C extends Pooled> {
  readonly size: number
  readonly acquireTimeoutMs: number
  /** Open a new connection; rejects with a pinto error. */
  open(): Promise<C>
}

interface Waiter<C> {
  readonly since: number
  readonly resolve: (conn: C) => void
  readonly reject: (error: unknown) => void
  timer: NodeJS.Timeout | undefined
}

export const DEFAULT_POOL_SIZE = 10
export const DEFAULT_ACQUIRE_TIMEOUT_MS = 30_000

function poolError(message: string): OperationalError {
  return new OperationalError(message, { sql: '', params: [], cause: undefined, driverCode: 'POOL' })
}

export class WaitQueuePool<C extends Pooled> {
  private readonly idle: C[] = []
  private readonly inUse = new Set<C>()
  private readonly waiters: Waiter<C>[] = []
  private opening = 0
  private ended = false

  constructor(private readonly config: PoolConfig<C>) {}

  /** A free connection, in arrival order; rejects after `acquireTimeoutMs`. An idle one is handed over with no timer. */
  acquire(): Promise<C> {
    if (this.ended) return Promise.reject(poolError('the pool is closed (db.disconnect() was called)'))
    const idle = this.tryAcquire()
    if (idle !== undefined) return Promise.resolve(idle)
    return new Promise<C>((resolve, reject) => {
      const waiter: Waiter<C> = { since: Date.now(), resolve, reject, timer: undefined }
      waiter.timer = setTimeout(() => this.timeOut(waiter), this.config.acquireTimeoutMs)
      this.waiters.push(waiter)
      this.dispatch()
    })
  }

  /** An idle connection now, or undefined when none is idle or others are waiting (they come first). */
  tryAcquire(): C | undefined {
    if (this.ended || this.waiters.length > 0) return undefined
    const conn = this.takeIdle()
    if (conn !== undefined) this.inUse.add(conn)
    return conn
  }

  /**
   * The idle connection a synchronous caller may use for one statement in
   * this tick without taking it (nothing else runs until it returns), or
   * undefined when none is idle or others are waiting.
   */
  idleNow(): C | undefined {
    if (this.ended || this.waiters.length > 0) return undefined
    return this.idle[this.idle.length - 1]
  }

  /** Add a connection opened ahead of time (SQLite opens its one connection at bind, to report errors early). */
  adopt(conn: C): void {
    this.idle.push(conn)
    this.dispatch()
  }

  /** Give a connection back; a broken one is closed and its slot freed. */
  release(conn: C): void {
    if (!this.inUse.delete(conn)) return
    if (conn.broken || this.ended) void conn.close()
    else this.idle.push(conn)
    this.dispatch()
  }

  /** Close a connection for good; the pool opens another when needed. */
  destroy(conn: C): void {
    this.inUse.delete(conn)
    const at = this.idle.indexOf(conn)
    if (at >= 0) this.idle.splice(at, 1)
    void conn.close()
    this.dispatch()
  }

  /** Drop an idle connection that died while nobody held it (server restart, idle kill). */
  discardIdle(conn: C): void {
    const at = this.idle.indexOf(conn)
    if (at < 0) return
    this.idle.splice(at, 1)
    void conn.close()
    this.dispatch()
  }

  status(): PoolStatus {
    return { size: this.config.size, inUse: this.inUse.size, waiting: this.waiters.length }
  }

  /** Reject waiters and close every connection, idle or in use. */
  async end(): Promise<void> {
    this.ended = true
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer)
      waiter.reject(poolError('the pool is closed (db.disconnect() was called)'))
    }
    const all = [...this.idle.splice(0), ...this.inUse]
    this.inUse.clear()
    await Promise.all(all.map((conn) => conn.close()))
  }

  private timeOut(waiter: Waiter<C>): void {
    const at = this.waiters.indexOf(waiter)
    if (at < 0) return
    const waiting = this.waiters.length
    this.waiters.splice(at, 1)
    const { size } = this.config
    waiter.reject(poolError(
      `pool exhausted: ${this.inUse.size} of ${size} connections in use, ${waiting} waiting, waited ${Date.now() - waiter.since} ms`))
  }

  private takeIdle(): C | undefined {
    for (let conn = this.idle.pop(); conn !== undefined; conn = this.idle.pop()) {
      if (!conn.broken) return conn
      void conn.close()
    }
    return undefined
  }

  private dispatch(): void {
    while (this.waiters.length > 0) {
      const conn = this.takeIdle()
      if (conn === undefined) break
      const waiter = this.waiters.shift()!
      clearTimeout(waiter.timer)
      this.inUse.add(conn)
      waiter.resolve(conn)
    }
    const total = this.idle.length + this.inUse.size + this.opening
    const wanted = Math.min(this.waiters.length - this.opening, this.config.size - total)
    for (let i = 0; i < wanted; i++) this.openOne()
  }

  private openOne(): void {
    this.opening++
    this.config.open().then(
      (conn) => {
        this.opening--
        if (this.ended) {
          void conn.close()
          return
        }
        this.idle.push(conn)
        this.dispatch()
      },
      (error: unknown) => {
        this.opening--
        const waiter = this.waiters.shift()
        if (waiter !== undefined) {
          clearTimeout(waiter.timer)
          waiter.reject(error)
        }
        this.dispatch()
      },
    )
  }
}

/** Pool size and acquire timeout from bind options, validated. */
export function poolLimits(options: { readonly poolSize?: number; readonly acquireTimeoutMs?: number }): { size: number; acquireTimeoutMs: number } {
  const size = options.poolSize ?? DEFAULT_POOL_SIZE
  const acquireTimeoutMs = options.acquireTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS
  if (!Number.isInteger(size) || size < 1) throw new MappingError(`poolSize must be a positive integer, got ${String(size)}`)
  if (typeof acquireTimeoutMs !== 'number' || !(acquireTimeoutMs >= 0)) {
    throw new MappingError(`acquireTimeoutMs must be a non-negative number, got ${String(acquireTimeoutMs)}`)
  }
  return { size, acquireTimeoutMs }
}
