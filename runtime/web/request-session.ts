/**
 * One database session per HTTP request, driven from outside: the web
 * adapters (`express.ts`, `fastify.ts`) open it before the handler runs,
 * run the handler inside it (AsyncLocalStorage), and settle it when the
 * framework knows the outcome: `succeed()` commits (and resolves once the
 * COMMIT is done, so the response can wait for it), `fail()` rolls back.
 * The session ends as soon as it is settled, so a client that goes away
 * mid-request gets its connection back at once; code still running in the
 * abandoned handler then finds the session over and cannot start anything.
 * Requests cannot be replayed, so the options exclude `retry`.
 */
import type { IncomingMessage } from 'node:http'
import { runSession, type SessionOptions } from '../session/session.js'

/** Session options for a request: everything but retrying (a request cannot be re-run). */
export type RequestSessionOptions = Omit<SessionOptions, 'retry' | 'retryExceptions'>

/** Which responses commit: by default every status below 400. */
export type CommitWhen = (statusCode: number) => boolean

/** The options of both web adapters (`DbSessionMiddlewareOptions`, `DbSessionPluginOptions`). */
export interface WebSessionOptions extends RequestSessionOptions {
  /** Whether a response with this status commits (default: status < 400). */
  readonly commitWhen?: CommitWhen
}

export const commitBelow400: CommitWhen = (status) => status < 400

class RequestAborted extends Error {
  constructor(reason: string) {
    super(`the request ended before its handler finished (${reason}); its session was rolled back`)
    this.name = 'RequestAborted'
  }
}

export class RequestSession {
  private settle: { resolve: () => void; reject: (error: unknown) => void } | null = null
  private ended: Promise<void> | null = null

  constructor(private readonly options: RequestSessionOptions, private readonly label: string) {}

  /** Open the session and call `next` inside it (synchronously, so the handler inherits it). */
  start(next: () => void): void {
    const retryLess: SessionOptions = { ...this.options, retry: 0 }
    this.ended = runSession(retryLess, () => new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject }
      try {
        next()
      } catch (error) {
        reject(error)
      }
    }), this.label)
    this.ended.catch(() => undefined)
  }

  get open(): boolean {
    return this.settle !== null
  }

  /** Commit; resolves when the COMMIT is done, rejects with its error. */
  succeed(): Promise<void> {
    this.take()?.resolve()
    return this.ended ?? Promise.resolve()
  }

  /** Roll back (the reason is not rethrown to anyone); resolves when the connection is back. */
  fail(reason: unknown): Promise<void> {
    this.take()?.reject(reason)
    return (this.ended ?? Promise.resolve()).catch(() => undefined)
  }

  /** The client went away before the response: roll back now. */
  abort(reason: string): Promise<void> {
    return this.fail(new RequestAborted(reason))
  }

  private take(): { resolve: () => void; reject: (error: unknown) => void } | null {
    const settle = this.settle
    this.settle = null
    return settle
  }
}

/** "GET /path" for pool diagnostics: where a session holding a connection was started. */
export function requestLabel(req: IncomingMessage): string {
  return `HTTP request ${req.method ?? '?'} ${req.url ?? '?'}`
}
