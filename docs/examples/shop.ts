// A small shop on embedded SQLite: customers, products in categories
// (many-to-many), orders with items (one-to-many). Run with `npm run demo`.
// Every statement pinto sends is printed by setSqlDebug.
import {
  Database, dbSession, desc, Int, optional, required, set, setSqlDebug, count, sum, Decimal,
} from 'pinto'

const db = new Database({ provider: 'sqlite', filename: ':memory:' })

const { Customer, Category, Product, Order, OrderItem } = db.define({
  Customer: {
    name: required(String, { maxLen: 100 }),
    email: required(String, { unique: true }),
    city: optional(String),
    orders: set('Order'),
  },
  Category: {
    name: required(String, { unique: true }),
    products: set('Product'),
  },
  Product: {
    name: required(String),
    price: required(Decimal, { precision: 10, scale: 2 }),
    stock: required(Int, { min: 0 }),
    categories: set('Category'),
    items: set('OrderItem'),
  },
  Order: {
    customer: required('Customer'),
    placedAt: required(Date, { default: () => new Date() }),
    state: required(String, { default: 'open' }),
    items: set('OrderItem'),
  },
  OrderItem: {
    order: required('Order'),
    product: required('Product'),
    quantity: required(Int, { min: 1 }),
    $primaryKey: ['order', 'product'],
  },
})

/** Fill the shop: every object is inserted when the session ends. */
const stockShop = dbSession(async () => {
  const books = new Category({ name: 'Books' })
  const games = new Category({ name: 'Games' })
  new Product({ name: 'Pony for Pythonistas', price: '29.90', stock: 10, categories: [books] })
  new Product({ name: 'TypeScript in Depth', price: '39.50', stock: 3, categories: [books] })
  new Product({ name: 'Go (the board game)', price: '45.00', stock: 2, categories: [games] })
  new Customer({ name: 'Ann', email: 'ann@example.com', city: 'Oslo' })
  new Customer({ name: 'Bob', email: 'bob@example.com' })
})

/** Place an order: reads, creates and changes in one transaction. */
const placeOrder = dbSession(async (email: string, wanted: Record<string, number>) => {
  const customer = await Customer.getOrThrow({ email })
  const order = new Order({ customer })
  for (const [name, quantity] of Object.entries(wanted)) {
    const product = await Product.getOrThrow((p, $) => p.name === $.name, { name })
    product.stock -= quantity
    new OrderItem({ order, product, quantity })
  }
  return order
})

const report = dbSession(async () => {
  const inStock = await Product.select((p) => p.stock > 0).orderBy((p) => [desc(p.stock), p.name]).map((p) => p.name)
  console.log('\nin stock, most first:', inStock)
  const scarce = await Product.select((p, $) => p.stock < $.few, { few: 5 }).count()
  console.log('products with fewer than 5 left:', scarce)
  const ann = await Customer.getOrThrow({ email: 'ann@example.com' })
  const orders = await ann.orders.load()
  console.log(`${ann.name} has ${orders.length} order(s) of ${await orders[0]!.items.count()} item(s)`)
  const perCustomer = await Customer.select().map((c) => ({ name: c.name, orders: count(c.orders) }))
  console.log('orders per customer:', perCustomer)
  const units = await OrderItem.select().sum((i) => i.quantity)
  console.log('units sold:', units, '| total items', await OrderItem.select().map((i) => sum(i.quantity)).first())
})

const cancelBobs = dbSession(async () => {
  const bob = await Customer.getOrThrow({ email: 'bob@example.com' })
  bob.city = 'Bergen'
  const open = await Order.select((o, $) => o.customer === $.bob && o.state === 'open', { bob }).fetch()
  for (const o of open) o.delete()
  return open.length
})

async function main(): Promise<void> {
  await db.generateMapping({ createTables: true })
  setSqlDebug(true, { showValues: true })
  await stockShop()
  const order = await placeOrder('ann@example.com', { 'Pony for Pythonistas': 2, 'TypeScript in Depth': 1 })
  console.log(`\nplaced order ${order.id} for ${order.customer.name}`)
  await placeOrder('bob@example.com', { 'Go (the board game)': 1 })
  await report()
  console.log('\ncancelled Bob\'s open orders:', await cancelBobs())
  setSqlDebug(false)
  await db.disconnect()
}

await main()
