/**
 * `pinto/fastify`: a session per request for Fastify, as a plugin that
 * applies to the instance it is registered on:
 *
 *     await app.register(dbSessionPlugin, { sqlDebug: false })
 *     app.post('/people', async (req) => new Person(req.body as …))
 *
 * The session opens in `preHandler` (after the body is parsed) and the
 * handler runs inside it. In `onSend`, before a byte goes out, it commits
 * (status < 400, or `commitWhen`) or rolls back; a failed COMMIT becomes
 * Fastify's error response. A client that disconnects first rolls the
 * session back at once, and its connection returns to the pool.
 */
import type { FastifyPluginCallback, FastifyRequest } from 'fastify'
import { commitBelow400, RequestSession, requestLabel, type WebSessionOptions } from './request-session.js'

/** Session options for each request (all but `retry`), and `commitWhen`: whether a reply with this status commits (default: status < 400). */
export type DbSessionPluginOptions = WebSessionOptions

const sessions = new WeakMap<FastifyRequest, RequestSession>()

const plugin: FastifyPluginCallback<DbSessionPluginOptions> = (fastify, options, done) => {
  const { commitWhen = commitBelow400, ...sessionOptions } = options
  fastify.addHook('preHandler', (request, reply, next) => {
    const session = new RequestSession(sessionOptions, requestLabel(request.raw))
    sessions.set(request, session)
    reply.raw.once('close', () => {
      if (session.open) void session.abort('the client disconnected')
    })
    session.start(() => next())
  })
  fastify.addHook('onSend', async (request, reply, payload) => {
    const session = sessions.get(request)
    if (session === undefined || !session.open) return payload
    if (commitWhen(reply.statusCode)) await session.succeed()
    else await session.fail(new Error(`the reply status was ${reply.statusCode}`))
    return payload
  })
  fastify.addHook('onResponse', async (request) => {
    const session = sessions.get(request)
    if (session !== undefined && session.open) await session.fail(new Error('the reply was sent without passing onSend'))
  })
  done()
}

/**
 * The Fastify plugin: a dbSession per request.
 * @example await app.register(dbSessionPlugin)
 */
export const dbSessionPlugin: FastifyPluginCallback<DbSessionPluginOptions> = Object.assign(plugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'pinto-db-session',
})

export default dbSessionPlugin
