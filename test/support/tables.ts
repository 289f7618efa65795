/**
 * A suite's tables: created before it (dropping leftovers of an earlier run),
 * optionally seeded, dropped after it with the pool closed. `useSeededModel`
 * is the whole preamble of a suite that runs on each target: a Database on
 * it, the model, its tables and rows.
 *
 *     eachTarget('shop', (target) => {
 *       const { model: { Shop } } = useSeededModel(target, defineModel, (m) => [[m.Shop, SHOPS]])
 *     })
 */
import { after, before } from 'node:test'
import { Database, dbSession } from '../../runtime/index.js'
import type { TestTarget } from './databases.js'

interface Inserts {
  insertMany(rows: readonly never[]): Promise<number>
}

/** Rows to insert into one entity. */
type TableRows = readonly [Inserts, readonly object[]]

/** A `useTables` seed: in one session, each entity's rows (copied) by `insertMany`, in the order given. */
export function seedRows(...tables: readonly TableRows[]): () => Promise<unknown> {
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

/** A Database on `target` (a pool of 2), the model `define` declares on it, and its tables seeded with `seed(model)` for the suite. */
export function useSeededModel<M>(target: TestTarget, define: (db: Database) => M, seed: (model: M) => readonly TableRows[]): { db: Database; model: M } {
  const db = new Database({ ...target.options, poolSize: 2, acquireTimeoutMs: 10_000 })
  const model = define(db)
  useTables(db, seedRows(...seed(model)))
  return { db, model }
}
