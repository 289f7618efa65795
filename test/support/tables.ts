/** A suite's tables: created before it (dropping leftovers of an earlier run), optionally seeded, dropped after it with the pool closed. */
import { after, before } from 'node:test'
import type { Database } from '../../runtime/index.js'

export function useTables(db: Database, seed?: () => Promise<unknown>): void {
  before(async () => {
    await db.dropAllTables({ withAllData: true }).catch(() => undefined)
    await db.generateMapping({ createTables: true })
    if (seed !== undefined) await seed()
  })
  after(async () => {
    await db.dropAllTables({ withAllData: true })
    await db.disconnect()
  })
}
