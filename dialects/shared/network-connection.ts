/**
 * The lifecycle shared by the networked drivers' connections (pg, mysql2):
 * a connection whose socket errors or ends is marked lost and dropped from
 * the idle list; one given back while a transaction is still open is
 * destroyed, so no transaction leaks into another session; closing happens
 * once. A driver supplies how to ask "is a transaction open?" and how to shut
 * the socket down.
 */
import type { Pooled, WaitQueuePool } from './pool.js'

interface SocketEvents {
  on(event: 'error' | 'end', listener: () => void): unknown
}

export abstract class NetworkConnection<Self extends Pooled> implements Pooled {
  private lost = false
  private closed = false

  protected constructor(protected readonly pool: WaitQueuePool<Self>, socket: SocketEvents) {
    socket.on('error', () => this.markLost())
    socket.on('end', () => this.markLost())
  }

  /** Whether the server still has a transaction open on this connection. */
  protected abstract openTransaction(): boolean
  /** Close the socket for good; must not throw. */
  protected abstract shutdown(): Promise<void>

  get broken(): boolean {
    return this.lost
  }

  protected markLost(): void {
    if (this.lost) return
    this.lost = true
    this.pool.discardIdle(this.self())
  }

  private self(): Self {
    return this as unknown as Self
  }

  /** Back to the pool; one still inside a transaction is destroyed. */
  release(): void {
    if (!this.lost && this.openTransaction()) this.pool.destroy(this.self())
    else this.pool.release(this.self())
  }

  destroy(): void {
    this.pool.destroy(this.self())
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.lost = true
    await this.shutdown()
  }
}
