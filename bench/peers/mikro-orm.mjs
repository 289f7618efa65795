// MikroORM 6, as its docs show: EntitySchema definitions (the documented
// decorator-free form), one forked EntityManager per unit of work,
// em.find/findOne with populate, em.create + em.flush for writes,
// the QueryBuilder for the aggregate.
import { MikroORM, EntitySchema, raw } from '@mikro-orm/core'
import { pkgVersion, SQLITE_FILE, PG_URL, MYSQL_URL, BATCH, w1Id, w2Age, w3Params, w4MinViews, w5Rows, w6Lo, w6Name, w7Email, w8Id } from '../lib/common.mjs'

export const meta = { name: 'mikro-orm', version: `@mikro-orm/core ${pkgVersion('@mikro-orm/core')}` }

class User {}
class Post {}
const UserSchema = new EntitySchema({
  class: User, tableName: 'users',
  properties: {
    id: { type: 'number', primary: true },
    name: { type: 'string', length: 100 },
    email: { type: 'string', length: 200, unique: true },
    age: { type: 'number' },
    createdAt: { type: 'Date', fieldName: 'created_at' },
    posts: { kind: '1:m', entity: () => Post, mappedBy: 'user' },
  },
})
const PostSchema = new EntitySchema({
  class: Post, tableName: 'posts',
  properties: {
    id: { type: 'number', primary: true },
    user: { kind: 'm:1', entity: () => User, fieldName: 'user_id' },
    title: { type: 'string', length: 200 },
    body: { type: 'text' },
    published: { type: 'boolean' },
    views: { type: 'number' },
  },
})

export default async function create(kind) {
  let driver, conn
  if (kind === 'sqlite') { driver = (await import('@mikro-orm/better-sqlite')).BetterSqliteDriver; conn = { dbName: SQLITE_FILE } }
  else if (kind === 'postgres') { driver = (await import('@mikro-orm/postgresql')).PostgreSqlDriver; conn = { clientUrl: PG_URL, pool: { min: 0, max: 10 } } }
  else { driver = (await import('@mikro-orm/mysql')).MySqlDriver; conn = { clientUrl: MYSQL_URL, pool: { min: 0, max: 10 }, timezone: '+00:00' } }
  const orm = await MikroORM.init({ driver, ...conn, entities: [UserSchema, PostSchema], debug: false, allowGlobalContext: false })
  const byId = (em, id) => em.findOne(User, id)
  return {
    w1: (i) => byId(orm.em.fork(), w1Id(i)),
    w2: (i) => orm.em.fork().find(User, { age: w2Age(i) }, { orderBy: { createdAt: 'desc' }, limit: 20 }),
    w3: (i) => { const p = w3Params(i); return orm.em.fork().find(Post, { published: true, views: { $gt: p.minViews }, user: { age: p.age } }, { populate: ['user'], limit: 50 }) },
    w4: (i) => orm.em.fork().createQueryBuilder(Post, 'p')
      .select(['p.user', raw('count(*) as posts'), raw('sum(p.views) as views')])
      .where({ views: { $gte: w4MinViews(i) } }).groupBy('p.user')
      .orderBy({ [raw('sum(p.views)')]: 'desc', user: 'asc' }).limit(10).execute('all', false),
    w5: async (tag) => {
      const em = orm.em.fork()
      for (const r of w5Rows(tag)) em.create(User, { name: r.name, email: r.email, age: r.age, createdAt: r.created_at })
      await em.flush()
    },
    w6: async (run) => {
      const em = orm.em.fork()
      const lo = w6Lo(run)
      const rows = await em.find(User, { id: { $gt: lo, $lte: lo + BATCH } })
      for (const u of rows) u.name = w6Name(u.id, run)
      await em.flush()
      return rows.length
    },
    w7: (i) => orm.em.fork().find(User, { email: w7Email(i) }),
    w8: async (n) => {
      const em = orm.em.fork()
      await em.find(User, { id: { $lte: BATCH } })
      const t0 = performance.now()
      for (let i = 0; i < n; i++) await byId(em, w8Id(i))
      return performance.now() - t0
    },
    close: () => orm.close(),
  }
}
