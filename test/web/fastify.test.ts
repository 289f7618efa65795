// pinto/fastify over real HTTP: the shared web scenarios on a Fastify 5 app.
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import { dbSessionPlugin } from '../../runtime/web/fastify.js'
import { webScenarios, type Routes } from './scenarios.js'

webScenarios('web_fastify', async (routes: Routes) => {
  const app = Fastify({ forceCloseConnections: true })
  await app.register(dbSessionPlugin)
  for (const name of ['create', 'fail', 'dup', 'hang'] as const) {
    app.post(`/${name}`, async (request) => routes[name]((request.query as { name?: string }).name ?? ''))
  }
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() }
})
