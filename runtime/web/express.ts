/**
 * `pinto/express`: a session per request for Express (and Connect). Mount it
 * after the body parsers and before the routes:
 *
 *     app.use(express.json())
 *     app.use(dbSessionMiddleware())
 *     app.post('/people', async (req, res) => { res.json(new Person(req.body)) })
 *
 * The rest of the request runs inside the session. When the handler ends the
 * response (`res.json`, `res.send`, `res.end`), the response is held back
 * until the session has committed (status < 400, or `commitWhen`) or rolled
 * back (an error status: a thrown handler becomes a 500), so a client never
 * sees success for a write that did not commit; a failed COMMIT turns the
 * response into a 500 (or, once headers are out, a reset connection). A client
 * that disconnects first rolls the session back at once and its connection
 * returns to the pool. Express types are not needed: the middleware takes
 * Node's own request and response.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { commitBelow400, RequestSession, requestLabel, type WebSessionOptions } from './request-session.js'

/** Session options for each request (all but `retry`), and `commitWhen`: whether a response with this status commits (default: status < 400). */
export type DbSessionMiddlewareOptions = WebSessionOptions

type End = (...args: unknown[]) => ServerResponse
type Next = (error?: unknown) => void

/** Answer a failed COMMIT: a plain 500 if nothing was sent yet, else cut the connection. */
function commitFailed(res: ServerResponse, end: End, error: unknown): void {
  if (res.headersSent) {
    res.destroy(error instanceof Error ? error : new Error(String(error)))
    return
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name)
  res.statusCode = 500
  res.setHeader('content-type', 'text/plain; charset=utf-8')
  end.call(res, 'the database transaction could not be committed')
}

/**
 * Open a dbSession for each request; commit when the response succeeds, roll
 * back when it fails or the client goes away.
 * @example app.use(dbSessionMiddleware({ sqlDebug: true }))
 */
export function dbSessionMiddleware(options: DbSessionMiddlewareOptions = {}): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  const { commitWhen = commitBelow400, ...sessionOptions } = options
  return (req, res, next) => {
    const session = new RequestSession(sessionOptions, requestLabel(req))
    const end = res.end as unknown as End
    res.end = function (this: ServerResponse, ...args: unknown[]): ServerResponse {
      if (!session.open) return end.apply(this, args)
      const status = res.statusCode
      const settled = commitWhen(status) ? session.succeed() : session.fail(new Error(`the response status was ${status}`))
      settled.then(() => end.apply(res, args), (error: unknown) => commitFailed(res, end, error))
      return this
    } as ServerResponse['end']
    res.once('close', () => {
      if (session.open) void session.abort('the client disconnected')
    })
    session.start(() => next())
  }
}
