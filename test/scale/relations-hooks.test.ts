/** Deleting through relations (link cleanup, nulling optional references) and hooks across several entity types. */
import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { Database, dbSession, flush, optional, primaryKey, required, set } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'

const log: string[] = []
const logged = (entity: string) => ({
  beforeInsert: () => { log.push(`beforeInsert ${entity}`) },
  afterInsert: () => { log.push(`afterInsert ${entity}`) },
  beforeUpdate: () => { log.push(`beforeUpdate ${entity}`) },
  afterUpdate: () => { log.push(`afterUpdate ${entity}`) },
  beforeDelete: () => { log.push(`beforeDelete ${entity}`) },
  afterDelete: () => { log.push(`afterDelete ${entity}`) },
})

function define(db: Database) {
  return db.define({
    Author: { name: required(String), books: set('Book'), fans: set('Fan'), $hooks: logged('Author') },
    Book: {
      title: required(String), author: required('Author'), genres: set('Genre'),
      $hooks: {
        ...logged('Book'),
        afterInsert: (b: { title: string }) => {
          log.push('afterInsert Book')
          if (b.title.startsWith('Audited')) new Audit({ text: `inserted ${b.title}` })
        },
      },
    },
    Genre: { name: primaryKey(String), books: set('Book'), $hooks: logged('Genre') },
    Fan: {
      name: required(String), idol: optional('Author'),
      $hooks: {
        // asynchronous hooks, each awaited in its place (names starting 'async' only)
        beforeInsert: async (f: { name: string }) => {
          if (!f.name.startsWith('async')) return
          await new Promise((resolve) => setTimeout(resolve, 5))
          f.name = f.name.toUpperCase()
        },
        afterInsert: async (f: { name: string }) => {
          if (!f.name.startsWith('ASYNC')) return
          await new Promise((resolve) => setTimeout(resolve, 5))
          log.push(`afterInsert Fan ${f.name}`)
        },
      },
    },
    Audit: { text: required(String) },
  })
}

let Audit: ReturnType<typeof define>['Audit']

eachTarget('sc_relhooks', (target) => {
  const db = new Database({ ...target.options, poolSize: 4, acquireTimeoutMs: 5000 })
  const model = define(db)
  const { Author, Book, Genre, Fan } = model
  before(async () => {
    Audit = model.Audit
    await db.dropAllTables({ withAllData: true }).catch(() => undefined)
    await db.generateMapping({ createTables: true })
  })
  after(async () => {
    await db.dropAllTables({ withAllData: true })
    await db.disconnect()
  })

  it('deleting either side of a many-to-many removes its link rows and keeps the other side', async () => {
    const ids = await dbSession.run(async () => {
      const a = new Author({ name: 'Linker' })
      const g1 = new Genre({ name: 'g-one' })
      const g2 = new Genre({ name: 'g-two' })
      const b1 = new Book({ title: 'L1', author: a, genres: [g1, g2] })
      const b2 = new Book({ title: 'L2', author: a, genres: [g2] })
      await flush()
      return { b1: b1.id, b2: b2.id }
    })
    await dbSession.run(async () => { (await Book.get(ids.b1))!.delete() })
    await dbSession.run(async () => {
      const g1 = (await Genre.get('g-one'))!
      assert.equal(await g1.books.count(), 0)
      const g2 = (await Genre.get('g-two'))!
      assert.deepEqual((await g2.books.load()).map((b) => b.id), [ids.b2])
      g2.delete()
    })
    await dbSession.run(async () => {
      const b2 = (await Book.get(ids.b2))!
      assert.equal(await b2.genres.count(), 0)
      assert.equal(await Genre.get('g-two'), null)
    })
  })

  it('deleting a parent cascades to required children and nulls optional references, in the database and in memory', async () => {
    const ids = await dbSession.run(async () => {
      const a = new Author({ name: 'Idol' })
      new Book({ title: 'Gone', author: a })
      const fans = [new Fan({ name: 'F1', idol: a }), new Fan({ name: 'F2', idol: a })]
      await flush()
      return { a: a.id, fans: fans.map((f) => f.id) }
    })
    await dbSession.run(async () => {
      const fans = await Fan.select((f) => f.name.startsWith('F')).fetch()
      const idol = (await Author.get(ids.a))!
      assert.equal(fans.length, ids.fans.length)
      assert.ok(fans.every((f) => f.idol === idol))
      idol.delete()
      await flush()
      assert.ok(fans.every((f) => f.idol === null))
    })
    await dbSession.run(async () => {
      assert.equal(await Book.exists((b) => b.title === 'Gone'), false)
      const fans = await Fan.select((f) => f.name.startsWith('F')).fetch()
      assert.deepEqual(fans.map((f) => f.idol), [null, null])
    })
  })

  it('a hook that creates another object during flush: the object is inserted in the same flush', async () => {
    await dbSession.run(async () => {
      new Book({ title: 'Audited once', author: new Author({ name: 'Hooker' }) })
      await flush()
      assert.equal(await Audit.select((a) => a.text === 'inserted Audited once').count(), 1)
    })
  })
  it('a hook that creates another object during the flush at commit', async () => {
    await dbSession.run(async () => {
      new Book({ title: 'Audited at commit', author: new Author({ name: 'Hooker2' }) })
    })
    assert.equal(await dbSession.run(() => Audit.select((a) => a.text === 'inserted Audited at commit').count()), 1)
  })

  it('an asynchronous hook is awaited in its place: its change is written, and the session ends after it', async () => {
    log.length = 0
    const id = await dbSession.run(async () => {
      const f = new Fan({ name: 'async fan' })
      new Fan({ name: 'plain fan' })
      await flush()
      assert.deepEqual(log, ['afterInsert Fan ASYNC FAN'])
      return f.id
    })
    assert.equal(await dbSession.run(async () => (await Fan.get(id))!.name), 'ASYNC FAN')
  })

  it('hooks of several entity types follow Pony\'s order: every before-hook, then the SQL, then every after-hook', async () => {
    const ids = await dbSession.run(async () => {
      const a = new Author({ name: 'Order' })
      const b = new Book({ title: 'Ordered', author: a })
      await flush()
      return { a: a.id, b: b.id }
    })
    log.length = 0
    await dbSession.run(async () => {
      const [a, b] = await Promise.all([Author.get(ids.a), Book.get(ids.b)])
      a!.name = 'Order2'
      b!.delete()
      new Genre({ name: 'g-order', books: [] })
      new Book({ title: 'Second', author: a! })
    })
    const lastBefore = Math.max(...log.map((e, i) => (e.startsWith('before') ? i : -1)))
    const firstAfter = log.findIndex((e) => e.startsWith('after'))
    assert.ok(lastBefore < firstAfter, log.join(', '))
    assert.deepEqual(log.filter((e) => e.startsWith('before')).sort(), ['beforeDelete Book', 'beforeInsert Book', 'beforeInsert Genre', 'beforeUpdate Author'])
    assert.deepEqual(log.filter((e) => e.startsWith('after')), ['afterInsert Genre', 'afterInsert Book', 'afterUpdate Author', 'afterDelete Book'])
  })
})
