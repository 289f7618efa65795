// What each workload is, how many operations one timed run has, and a
// sanity check on a peer's result (so a peer cannot be fast by being wrong).
// `cycle`: the workload's parameters repeat every `cycle` operations, and a
// timed run is whole cycles from the first: the same queries in every run of
// every peer (W4's few, long queries would otherwise be a different mix per
// peer, since n is scaled to each peer's speed).
export const WORKLOADS = {
  W1: { title: 'primary-key lookup', unit: 'lookups', full: 5000, quick: 1000, what: 'one unit of work (session / forked EntityManager) per lookup: load one user by id' },
  W2: { title: 'filter + order + limit 20', unit: 'queries', full: 2000, quick: 400, what: 'users WHERE age = ? ORDER BY created_at DESC LIMIT 20, as entities' },
  W3: { title: 'posts with their user, limit 50', unit: 'queries', full: 1000, quick: 200, what: 'posts JOIN users WHERE users.age = ? AND posts.published AND posts.views > ? LIMIT 50; each post with its user object' },
  W4: { title: 'group by: count + sum per user, top 10', unit: 'queries', full: 20, quick: 10, cycle: 10, what: 'posts WHERE views >= ? GROUP BY user_id: COUNT(*), SUM(views), ORDER BY the sum DESC LIMIT 10' },
  W5: { title: 'insert 1,000 users in one transaction', unit: 'transactions of 1,000 rows', full: 10, quick: 2, what: '1,000 new users created and committed in one transaction (batched where the library batches)' },
  W6: { title: 'load 1,000 users, change each, commit', unit: 'transactions of 1,000 rows', full: 10, quick: 2, what: 'load 1,000 users by id range, change each one\'s name, commit (one UPDATE per row unless the library batches)' },
  W7: { title: 'same query shape, 10,000 different values', unit: 'queries', full: 10000, quick: 1000, what: 'users WHERE email = ? with a different email each time, one unit of work per query' },
  W8: { title: 'read an already loaded object again', unit: 'reads', full: 10000, quick: 2000, what: 'inside one session with 1,000 users loaded (untimed), get a user by id again; libraries without an identity map query again' },
  W9: { title: 'translation cold vs cached (pinto only)', unit: 'compilations', what: 'pinto\'s compile cache cleared (clearCompilerCache) vs warm; and a cached query end to end vs the raw prepared statement' },
}

const fail = (w, msg) => { throw new Error(`${w} check failed: ${msg}`) }
const arr = (x) => (Array.isArray(x) ? x : fail('result', `expected an array, got ${typeof x}`))
export const CHECKS = {
  W1: (r) => { if (r == null || r.email == null) fail('W1', 'no user') },
  W2: (r) => { if (arr(r).length !== 20) fail('W2', `expected 20 rows, got ${r.length}`) },
  W3: (r) => { if (arr(r).length !== 50) fail('W3', `expected 50 rows, got ${r.length}`); const u = r[0].user ?? r[0].users; if (u == null || u.age == null) fail('W3', 'post without its user') },
  W4: (r) => { if (arr(r).length !== 10) fail('W4', `expected 10 groups, got ${r.length}`) },
  W6: (r) => { if (r !== 1000) fail('W6', `expected 1000 changed rows, got ${r}`) },
  W7: (r) => { if (arr(r).length !== 1) fail('W7', `expected 1 row, got ${r.length}`) },
}
