// TypeORM, as its docs show: a DataSource with entity definitions
// (EntitySchema: the documented decorator-free form; plain .mjs has no
// decorators), repositories with find options, relations loaded with
// `relations`, writes with `save` inside `dataSource.transaction`.
import 'reflect-metadata'
import { DataSource, EntitySchema, MoreThan, Between } from 'typeorm'
import { pkgVersion, SQLITE_FILE, PG_URL, MYSQL_URL, BATCH, w1Id, w2Age, w3Params, w4MinViews, w5Rows, w6Lo, w6Name, w7Email, w8Id } from '../lib/common.mjs'

export const meta = { name: 'typeorm', version: `typeorm ${pkgVersion('typeorm')}` }

export default async function create(kind) {
  const dateType = kind === 'sqlite' ? 'datetime' : kind === 'postgres' ? 'timestamptz' : 'datetime'
  const User = new EntitySchema({
    name: 'User', tableName: 'users',
    columns: {
      id: { type: 'int', primary: true, generated: 'increment' },
      name: { type: 'varchar', length: 100 },
      email: { type: 'varchar', length: 200, unique: true },
      age: { type: 'int' },
      createdAt: { type: dateType, name: 'created_at', precision: kind === 'sqlite' ? undefined : 3 },
    },
    relations: { posts: { type: 'one-to-many', target: 'Post', inverseSide: 'user' } },
  })
  const Post = new EntitySchema({
    name: 'Post', tableName: 'posts',
    columns: {
      id: { type: 'int', primary: true, generated: 'increment' },
      userId: { type: 'int', name: 'user_id' },
      title: { type: 'varchar', length: 200 },
      body: { type: 'text' },
      published: { type: 'boolean' },
      views: { type: 'int' },
    },
    relations: { user: { type: 'many-to-one', target: 'User', joinColumn: { name: 'user_id' }, inverseSide: 'posts' } },
  })
  const ds = new DataSource(kind === 'sqlite' ? { type: 'better-sqlite3', database: SQLITE_FILE, entities: [User, Post] }
    : kind === 'postgres' ? { type: 'postgres', url: PG_URL, entities: [User, Post], poolSize: 10 }
    : { type: 'mysql', url: MYSQL_URL, entities: [User, Post], poolSize: 10, timezone: 'Z' })
  await ds.initialize()
  const users = ds.getRepository(User)
  const posts = ds.getRepository(Post)
  return {
    w1: (i) => users.findOneBy({ id: w1Id(i) }),
    w2: (i) => users.find({ where: { age: w2Age(i) }, order: { createdAt: 'DESC' }, take: 20 }),
    w3: (i) => { const p = w3Params(i); return posts.find({ where: { published: true, views: MoreThan(p.minViews), user: { age: p.age } }, relations: { user: true }, take: 50 }) },
    w4: (i) => posts.createQueryBuilder('p').select('p.userId', 'userId').addSelect('COUNT(*)', 'posts').addSelect('SUM(p.views)', 'views')
      .where('p.views >= :minViews', { minViews: w4MinViews(i) }).groupBy('p.userId').orderBy('SUM(p.views)', 'DESC').addOrderBy('p.userId', 'ASC').limit(10).getRawMany(),
    w5: (tag) => ds.transaction((m) => m.save(User, w5Rows(tag).map((r) => m.create(User, { name: r.name, email: r.email, age: r.age, createdAt: r.created_at })))),
    w6: (run) => ds.transaction(async (m) => {
      const lo = w6Lo(run)
      const rows = await m.findBy(User, { id: Between(lo + 1, lo + BATCH) })
      for (const u of rows) u.name = w6Name(u.id, run)
      await m.save(User, rows)
      return rows.length
    }),
    w7: (i) => users.findBy({ email: w7Email(i) }),
    w8: async (n) => { const t0 = performance.now(); for (let i = 0; i < n; i++) await users.findOneBy({ id: w8Id(i) }); return performance.now() - t0 },
    close: () => ds.destroy(),
  }
}
