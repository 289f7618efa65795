// Sequelize 6, as its docs show: sequelize.define models with associations,
// findByPk / findAll with include, bulkCreate, managed transactions
// (sequelize.transaction(async t => …)) with instance.save.
import { Sequelize, DataTypes, Op, fn, col } from 'sequelize'
import { pkgVersion, SQLITE_FILE, PG_URL, MYSQL_URL, BATCH, w1Id, w2Age, w3Params, w4MinViews, w5Rows, w6Lo, w6Name, w7Email, w8Id } from '../lib/common.mjs'

export const meta = { name: 'sequelize', version: `sequelize ${pkgVersion('sequelize')}` }

export default async function create(kind) {
  const common = { logging: false, pool: { max: 10 } }
  const sequelize = kind === 'sqlite' ? new Sequelize({ dialect: 'sqlite', storage: SQLITE_FILE, ...common })
    : kind === 'postgres' ? new Sequelize(PG_URL, { dialect: 'postgres', ...common })
    : new Sequelize(MYSQL_URL, { dialect: 'mysql', timezone: '+00:00', ...common })
  const User = sequelize.define('User', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    name: { type: DataTypes.STRING(100), allowNull: false },
    email: { type: DataTypes.STRING(200), allowNull: false, unique: true },
    age: { type: DataTypes.INTEGER, allowNull: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false, field: 'created_at' },
  }, { tableName: 'users', timestamps: false })
  const Post = sequelize.define('Post', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    title: { type: DataTypes.STRING(200), allowNull: false },
    body: { type: DataTypes.TEXT, allowNull: false },
    published: { type: DataTypes.BOOLEAN, allowNull: false },
    views: { type: DataTypes.INTEGER, allowNull: false },
  }, { tableName: 'posts', timestamps: false })
  Post.belongsTo(User, { foreignKey: 'user_id', as: 'user' })
  User.hasMany(Post, { foreignKey: 'user_id', as: 'posts' })
  await sequelize.authenticate()
  return {
    w1: (i) => User.findByPk(w1Id(i)),
    w2: (i) => User.findAll({ where: { age: w2Age(i) }, order: [['createdAt', 'DESC']], limit: 20 }),
    w3: (i) => { const p = w3Params(i); return Post.findAll({ where: { published: true, views: { [Op.gt]: p.minViews } }, include: [{ model: User, as: 'user', where: { age: p.age } }], limit: 50 }) },
    w4: (i) => Post.findAll({
      attributes: ['user_id', [fn('COUNT', col('id')), 'posts'], [fn('SUM', col('views')), 'views']],
      where: { views: { [Op.gte]: w4MinViews(i) } }, group: ['user_id'],
      order: [[fn('SUM', col('views')), 'DESC'], ['user_id', 'ASC']], limit: 10, raw: true,
    }),
    w5: (tag) => sequelize.transaction((transaction) => User.bulkCreate(w5Rows(tag).map((r) => ({ name: r.name, email: r.email, age: r.age, createdAt: r.created_at })), { transaction })),
    w6: (run) => sequelize.transaction(async (transaction) => {
      const lo = w6Lo(run)
      const rows = await User.findAll({ where: { id: { [Op.gt]: lo, [Op.lte]: lo + BATCH } }, transaction })
      for (const u of rows) { u.name = w6Name(u.id, run); await u.save({ transaction }) }
      return rows.length
    }),
    w7: (i) => User.findAll({ where: { email: w7Email(i) } }),
    w8: async (n) => { const t0 = performance.now(); for (let i = 0; i < n; i++) await User.findByPk(w8Id(i)); return performance.now() - t0 },
    close: () => sequelize.close(),
  }
}
