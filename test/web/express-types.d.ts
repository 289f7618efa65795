// The little of Express's API the web tests use (express ships no types and
// @types/express is not a dependency).
declare module 'express' {
  import type { IncomingMessage, Server, ServerResponse } from 'node:http'
  interface Request extends IncomingMessage {
    readonly query: Record<string, string | undefined>
  }
  interface Response extends ServerResponse {
    json(body: unknown): Response
    status(code: number): Response
  }
  type Handler = (req: Request, res: Response, next: (error?: unknown) => void) => unknown
  interface Application {
    use(...handlers: Handler[]): Application
    post(path: string, ...handlers: Handler[]): Application
    listen(port: number, host: string, callback: () => void): Server
  }
  function express(): Application
  export default express
}
