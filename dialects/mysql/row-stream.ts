/**
 * The rows of one streaming mysql2 command, queued with back-pressure: the
 * socket is paused when `highWaterMark` rows wait and resumed when the reader
 * catches up, so memory stays bounded. MySQL runs one command at a time per
 * connection, so when another query needs the connection mid-stream,
 * `detach()` lets the remaining rows arrive into memory (correct, no longer
 * bounded); `close()` (an early break) discards them as they arrive.
 */
import type { EventEmitter } from 'node:events'

export interface Pausable {
  pause(): void
  resume(): void
}

export class RowStream {
  private rows: unknown[][] = []
  private ended = false
  private failure: { error: unknown } | null = null
  private wake: (() => void) | null = null
  private detached = false
  private discarding = false
  private paused = false

  constructor(private readonly conn: Pausable, command: EventEmitter, private readonly highWaterMark: number) {
    command.on('result', (row: unknown[]) => {
      if (this.discarding) return
      this.rows.push(row)
      if (!this.detached && !this.paused && this.rows.length >= highWaterMark) {
        this.paused = true
        conn.pause()
      }
      this.notify()
    })
    command.on('error', (error: unknown) => {
      this.failure ??= { error }
      this.finish()
    })
    command.on('end', () => this.finish())
  }

  private finish(): void {
    this.ended = true
    this.notify()
  }

  private notify(): void {
    const wake = this.wake
    this.wake = null
    wake?.()
  }

  private resume(): void {
    if (!this.paused) return
    this.paused = false
    this.conn.resume()
  }

  /** The next row, undefined at the end; rejects with the command's error. */
  async next(): Promise<unknown[] | undefined> {
    for (;;) {
      if (this.rows.length > 0) {
        const row = this.rows.shift()
        if (this.rows.length <= this.highWaterMark / 2) this.resume()
        return row
      }
      if (this.failure !== null) throw this.failure.error
      if (this.ended) return undefined
      this.resume()
      await new Promise<void>((resolve) => {
        this.wake = resolve
      })
    }
  }

  /** Read the rest into memory, so that the connection can serve another command. */
  detach(): void {
    this.detached = true
    this.resume()
  }

  /** Stop reading: rows still to come are dropped as they arrive. */
  close(): void {
    this.discarding = true
    this.rows = []
    this.detach()
  }
}
