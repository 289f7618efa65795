import { it } from 'node:test'
import assert from 'node:assert/strict'
import { Database, dbSession, MappingError, required, Int, set } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'

eachTarget('rt_mapping', (target) => {
  const define = (db: Database) => db.define({
    Shelf: { label: required(String), boxes: set('Box') },
    Box: { size: required(Int), shelf: required('Shelf'), $table: 'storage_box' },
  })

  it('generateMapping checks the tables; createTables creates them; dropAllTables refuses to drop data unless told', async () => {
    const db = new Database(target.options)
    const { Shelf, Box } = define(db)
    try {
      await db.dropAllTables({ withAllData: true })
      await assert.rejects(() => db.generateMapping(), (e: unknown) => e instanceof MappingError && /table '(shelf|storage_box)' does not match the model/.test((e as Error).message))
      await db.generateMapping({ createTables: true })
      await db.generateMapping()
      await db.generateMapping({ createTables: true })
      assert.match(db.schemaSql(), /CREATE TABLE .*storage_box/)
      await db.dropAllTables()
      await db.generateMapping({ createTables: true })
      await dbSession.run(async () => { new Box({ size: 3, shelf: new Shelf({ label: 'A' }) }) })
      await assert.rejects(() => db.dropAllTables(), (e: unknown) => e instanceof MappingError && /holds data/.test((e as Error).message))
      assert.equal(await dbSession.run(() => Box.select().count()), 1)
      await db.dropAllTables({ withAllData: true })
      await assert.rejects(() => db.generateMapping(), MappingError)
    } finally {
      await db.disconnect()
    }
  })
})
