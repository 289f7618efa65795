// pinto/express over real HTTP: the shared web scenarios on an Express 5 app.
import type { AddressInfo } from 'node:net'
import express from 'express'
import { dbSessionMiddleware } from '../../runtime/web/express.js'
import { webScenarios, type Routes } from './scenarios.js'

webScenarios('web_express', async (routes: Routes) => {
  const app = express()
  app.use(dbSessionMiddleware())
  for (const name of ['create', 'fail', 'dup', 'hang'] as const) {
    app.post(`/${name}`, async (req, res) => {
      res.json(await routes[name](req.query['name'] ?? ''))
    })
  }
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
})
