/**
 * `prefetch` of to-one references through a join, on every database: a
 * prefetch path that starts with to-one references (`p => p.user`,
 * `p => p.user.company`) loads those objects in the main statement, through
 * the join the filter already made for the same path, or a new one (LEFT for
 * an optional reference). Each case checks the statements sent, that the
 * rows are those of the same query without prefetch, and that reading the
 * prefetched objects afterwards sends no SQL.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Database, Int, TranslationError, dbSession, desc, optional, required, set } from '../../runtime/index.js'
import { eachTarget, type TestTarget } from '../support/databases.js'
import { capture } from '../runtime/model.js'
import { compile, filter, spec } from '../compiler/fixtures.js'
import { pathsLoaded, runPrefetch } from '../../runtime/query/prefetch.js'
import { currentSession } from '../../runtime/session/session.js'

function defineModel(db: Database) {
  return db.define({
    Company: { name: required(String), users: set('User') },
    User: {
      $table: 'users',
      name: required(String),
      age: required(Int),
      company: optional('Company'),
      posts: set('Post', { reverse: 'user' }),
      edited: set('Post', { reverse: 'editor' }),
    },
    Admin: { $extends: 'User', level: required(Int) },
    Post: {
      $table: 'posts',
      user: required('User', { column: 'user_id', reverse: 'posts' }),
      editor: optional('User', { reverse: 'edited' }),
      title: required(String),
      published: required(Boolean),
      views: required(Int),
    },
  })
}

const USERS = 12
const POSTS = 120
/** The user that is an Admin (a subclass: the joined row carries the discriminator). */
const ADMIN = 3
/** W3's filter matches fewer rows than its limit, so the rows do not depend on the plan. */
const W3_PARAMS = { age: 21, minViews: 10 }

function useWorld(target: TestTarget) {
  const db = new Database({ ...target.options, poolSize: 4, acquireTimeoutMs: 5000 })
  const model = defineModel(db)
  const { Company, User, Admin, Post } = model
  before(async () => {
    await db.dropAllTables({ withAllData: true }).catch(() => undefined)
    await db.generateMapping({ createTables: true })
    await dbSession.run(async () => {
      const companies = [new Company({ name: 'Acme' }), new Company({ name: 'Globex' })]
      const users = Array.from({ length: USERS }, (_, i) => {
        const values = { name: `u${i}`, age: 20 + (i % 4), company: i % 3 === 2 ? null : companies[i % 2]! }
        return i === ADMIN ? new Admin({ ...values, level: 7 }) : new User(values)
      })
      for (let k = 0; k < POSTS; k++) {
        new Post({ title: `t${k}`, user: users[k % USERS]!, editor: k % 4 === 0 ? null : users[(k + 1) % USERS]!, published: k % 3 !== 0, views: k })
      }
    })
  })
  after(async () => {
    await db.dropAllTables({ withAllData: true })
    await db.disconnect()
  })
  return { db, model }
}

const selects = (sql: readonly string[]): string[] => sql.filter((s) => /^\s*SELECT/i.test(s))
const joinsTo = (sql: string, table: string): number => sql.match(new RegExp(`JOIN [\`"]${table}[\`"]`, 'g'))?.length ?? 0
const ids = (rows: readonly { id: number }[]): number[] => rows.map((r) => r.id)
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b)

describe('joinLoad in the compiler (no database)', () => {
  it('is part of the cache key: the same filter compiles with and without the joined columns', () => {
    const f = filter((c: { price: number }) => c.price > 1)
    const plain = compile(spec('Car', [f]))
    const joined = compile(spec('Car', [f, { op: 'joinLoad', path: ['owner'] }]))
    assert.doesNotMatch(plain.sql, /JOIN/)
    assert.match(joined.sql, /^SELECT .*"c_owner"\."name".* FROM "car" "c" JOIN "person" "c_owner"/)
    assert.equal(plain.result.kind === 'rows' && plain.result.shape.kind, 'entity')
    assert.equal(joined.result.kind === 'rows' && joined.result.shape.kind, 'tuple')
  })

  it('needs rows that are one entity, and a path of to-one references', () => {
    const mapped = spec('Car', [{ op: 'map', lambda: { fn: (c: { make: string }) => c.make, params: undefined } }, { op: 'joinLoad', path: ['owner'] }])
    assert.throws(() => compile(mapped), (e: unknown) => e instanceof TranslationError && /rows are one entity/.test((e as Error).message))
    assert.throws(() => compile(spec('Person', [{ op: 'joinLoad', path: ['cars'] }])), (e: unknown) => e instanceof TranslationError && /Person\.cars is not a to-one reference/.test((e as Error).message))
  })
})

eachTarget('prefetch_join', (target) => {
  const { db, model } = useWorld(target)
  const { User, Admin, Post } = model
  const w3 = () => Post.select((p, $) => p.user.age === $.age && p.published && p.views > $.minViews, W3_PARAMS)

  describe('prefetch of a to-one reference through a join', () => {
    it("W3 sends one statement, joins users once, returns the same posts, and post.user.name needs no SQL", async () => {
      const plain = await dbSession.run(async () => ids(await w3().limit(50).fetch()))
      await dbSession.run(async () => {
        const { result: posts, sql } = await capture(db, () => w3().prefetch((p) => p.user).limit(50).fetch())
        assert.equal(sql.length, 1, sql.join('\n'))
        assert.equal(joinsTo(sql[0]!, 'users'), 1, sql[0])
        assert.ok(posts.length > 0 && posts.length < 50)
        assert.deepEqual(sorted(ids(posts)), sorted(plain))
        const { result: names, sql: reads } = await capture(db, async () => posts.map((p) => `${p.user.name}:${p.user.age}`))
        assert.deepEqual(reads, [])
        assert.deepEqual(names, posts.map((p) => `u${p.views % USERS}:21`))
      })
    })

    it('getSql shows the statement fetch sends; count and exists stay without the joined columns', async () => {
      const q = w3().prefetch((p) => p.user).limit(50)
      const { sql } = q.getSql()
      assert.equal(joinsTo(sql, 'users'), 1, sql)
      assert.match(sql, /p_user.\.[`"]name[`"]/)
      await dbSession.run(async () => {
        const { result: n, sql: counted } = await capture(db, () => q.count())
        assert.equal(n, (await w3().limit(50).fetch()).length)
        assert.doesNotMatch(counted[0]!, /p_user.\.[`"]name[`"]/)
        const { result: found, sql: existed } = await capture(db, () => Post.select((p) => p.views > 1000).prefetch((p) => p.user).exists())
        assert.equal(found, false)
        assert.equal(joinsTo(existed[0]!, 'users'), 0, existed[0])
      })
    })

    it('an optional reference is LEFT JOINed: rows whose reference is null stay', async () => {
      await dbSession.run(async () => {
        const { result: posts, sql } = await capture(db, () => Post.select().prefetch((p) => p.editor).fetch())
        assert.equal(sql.length, 1, sql.join('\n'))
        assert.match(sql[0]!, /LEFT JOIN [`"]users[`"]/)
        assert.equal(posts.length, POSTS)
        const { result: editors, sql: reads } = await capture(db, async () => posts.map((p) => p.editor?.name ?? null))
        assert.deepEqual(reads, [])
        assert.equal(editors.filter((e) => e === null).length, POSTS / 4)
        assert.deepEqual(editors, posts.map((p) => (p.views % 4 === 0 ? null : `u${(p.views + 1) % USERS}`)))
        for (const p of posts) assert.equal(p.editor === null, p.id % 4 === 1, `post ${p.id}`)
      })
    })

    it('a required reference no filter reads is joined in one statement too, a subclass row becoming its class', async () => {
      await dbSession.run(async () => {
        const { result: posts, sql } = await capture(db, () => Post.select((p) => p.views < 30).prefetch((p) => p.user).fetch())
        assert.equal(sql.length, 1, sql.join('\n'))
        assert.equal(joinsTo(sql[0]!, 'users'), 1, sql[0])
        assert.equal(posts.length, 30)
        const { result: levels, sql: reads } = await capture(db, async () => posts.map((p) => (p.user instanceof Admin ? p.user.level : p.user.name)))
        assert.deepEqual(reads, [])
        assert.deepEqual(levels, posts.map((p) => (p.views % USERS === ADMIN ? 7 : `u${p.views % USERS}`)))
      })
    })

    it('a chain of two to-one references: p => p.user.company, with null companies', async () => {
      await dbSession.run(async () => {
        const { result: posts, sql } = await capture(db, () => Post.select((p) => p.views < 24).prefetch((p) => p.user.company).fetch())
        assert.equal(sql.length, 1, sql.join('\n'))
        assert.match(sql[0]!, /LEFT JOIN [`"]company[`"]/)
        assert.equal(posts.length, 24)
        const { result: names, sql: reads } = await capture(db, async () => posts.map((p) => `${p.user.name}/${p.user.company?.name ?? '-'}`))
        assert.deepEqual(reads, [])
        for (const [i, p] of posts.entries()) {
          const u = (p.views % USERS)
          assert.equal(names[i], `u${u}/${u % 3 === 2 ? '-' : u % 2 === 0 ? 'Acme' : 'Globex'}`)
        }
      })
    })

    it('with orderBy, limit, page, first and distinct: the same rows in the same order', async () => {
      const queries = [
        () => Post.select((p) => p.published).orderBy((p) => desc(p.views)).page(2, 10),
        () => Post.select((p) => p.views > 5).orderBy((p) => [p.user.name, p.id]).limit(7, 3),
        () => Post.select((p) => p.user.age === 22).distinct().orderBy((p) => p.id),
      ]
      for (const q of queries) {
        const plain = await dbSession.run(async () => ids(await q().fetch()))
        await dbSession.run(async () => {
          const { result: posts, sql } = await capture(db, () => q().prefetch((p) => p.user).fetch())
          assert.equal(sql.length, 1, sql.join('\n'))
          assert.equal(joinsTo(sql[0]!, 'users'), 1, sql[0])
          assert.deepEqual(ids(posts), plain)
          const { result: names, sql: reads } = await capture(db, async () => posts.map((p) => p.user.name))
          assert.deepEqual(reads, [])
          assert.deepEqual(names, posts.map((p) => `u${p.views % USERS}`))
        })
      }
      await dbSession.run(async () => {
        const { result: post, sql } = await capture(db, () => Post.select((p) => p.views > 100).prefetch((p) => p.user).first())
        assert.equal(sql.length, 1, sql.join('\n'))
        assert.equal(post!.views, 101)
        assert.equal(post!.user.name, `u${101 % USERS}`)
      })
    })

    it('an object already loaded and changed in the session is the one returned, with its changed value', async () => {
      await dbSession.run(async () => {
        const u = (await User.select((x) => x.name === 'u1').first())!
        u.name = 'changed'
        const { result: posts, sql } = await capture(db, () => Post.select((p) => p.views < 24).prefetch((p) => p.user).fetch())
        assert.equal(selects(sql).length, 1, sql.join('\n'))
        const mine = posts.filter((p) => p.user.id === u.id)
        assert.equal(mine.length, 2)
        for (const p of mine) {
          assert.equal(p.user, u)
          assert.equal(p.user.name, 'changed')
        }
        const other = posts.find((p) => p.user.id !== u.id)!
        const { result: otherName, sql: reads } = await capture(db, async () => other.user.name)
        assert.deepEqual(reads, [])
        assert.equal(otherName, `u${other.views % USERS}`)
        throw new RollbackMarker()
      }).catch((e: unknown) => {
        if (!(e instanceof RollbackMarker)) throw e
      })
    })

    it('the rest of a path after its to-one start, and to-many prefetches, load in a second statement as before', async () => {
      await dbSession.run(async () => {
        const { result: posts, sql } = await capture(db, () => Post.select((p) => p.views < 24).prefetch((p) => p.user.posts).fetch())
        assert.equal(selects(sql).length, 2, sql.join('\n'))
        assert.equal(joinsTo(sql[0]!, 'users'), 1, sql[0])
        const { result: sizes, sql: reads } = await capture(db, async () => posts.map((p) => p.user.posts.size))
        assert.deepEqual(reads, [])
        assert.ok(posts.length > 0)
        assert.ok(sizes.every((n) => n === POSTS / USERS))
      })
      await dbSession.run(async () => {
        const { result: users, sql } = await capture(db, () => User.select((u) => u.age === 20).prefetch((u) => u.posts).fetch())
        assert.equal(selects(sql).length, 2, sql.join('\n'))
        assert.equal(joinsTo(sql[0]!, 'posts'), 0, sql[0])
        const { result: sizes, sql: reads } = await capture(db, async () => users.map((u) => u.posts.size))
        assert.deepEqual(reads, [])
        assert.ok(users.length > 0)
        assert.deepEqual(sizes, users.map(() => POSTS / USERS))
      })
    })
  })
})

eachTarget('prefetch_whole', (target) => {
  const { db, model } = useWorld(target)
  const { Post } = model

  describe('pathsLoaded: whether every object of a path is loaded already (then runPrefetch has no walk to do)', () => {
    it('is true for the rows of a joined fetch, with null references on the way', async () => {
      await dbSession.run(async () => {
        const posts = await Post.select((p) => p.views < 24).prefetch((p) => p.user.company, (p) => p.editor).fetch()
        assert.ok(posts.some((p) => p.editor === null) && posts.some((p) => p.user.company === null))
        assert.equal(pathsLoaded(posts, [['user', 'company'], ['editor']]), true)
      })
    })

    it('is false when a reference on the path is an object known only by its key, which the walk then loads', async () => {
      await dbSession.run(async () => {
        const posts = await Post.select((p) => p.views < 6).fetch()
        assert.equal(pathsLoaded(posts, [['user']]), false, 'users are stubs')
        assert.equal(pathsLoaded(posts.slice(0, 0), [['user']]), true, 'no rows: nothing to load')
        const { sql } = await capture(db, () => Post.select((p) => p.views < 6).prefetch((p) => p.user).fetch())
        assert.equal(selects(sql).length, 1, sql.join('\n'))
        assert.equal(pathsLoaded(posts, [['user']]), true, 'the join filled the same stubs')
        assert.equal(pathsLoaded(posts, [['user', 'company']]), false, 'companies are stubs')
        const { sql: second } = await capture(db, () => runPrefetch(currentSession()!.forDb(db), posts, [['user', 'company']]))
        assert.equal(selects(second).length, 1, second.join('\n'))
        assert.equal(pathsLoaded(posts, [['user', 'company']]), true)
        assert.equal(pathsLoaded(posts, [['user', 'posts']]), false, 'a path through a collection is left to the walk')
        const { sql: third } = await capture(db, () => runPrefetch(currentSession()!.forDb(db), posts, [['user', 'posts']]))
        assert.equal(selects(third).length, 1, third.join('\n'))
        assert.ok(posts.every((p) => p.user.posts.size === POSTS / USERS))
        assert.equal(pathsLoaded(posts, [['user', 'posts', 'editor']]), false, 'loaded collections, their items\' editors not')
      })
    })
  })
})

/** Thrown to roll a session back on purpose. */
class RollbackMarker extends Error {}
