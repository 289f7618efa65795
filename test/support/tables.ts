/** A suite's tables: created before it (dropping leftovers of an earlier run), optionally seeded, dropped after it with the pool closed. */
import { after, before } from 'node:test'
import { dbSession, type Database } from '../../runtime/index.js'

interface Inserts {
  insertMany(rows: readonly never[]): Promise<number>
}

/** A `useTables` seed: in one session, each entity's rows (copied) by `insertMany`, in the order given. */
export function seedRows(...tables: readonly (readonly [Inserts, readonly object[]])[]): () => Promise<unknown> {
  return () => dbSession.run(async () => {
    for (const [entity, rows] of tables) await entity.insertMany(rows.map((r) => ({ ...r })) as never[])
  })
}

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
