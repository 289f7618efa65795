/**
 * Same-tick batching. A load that can be answered together with others of
 * its kind (the `cars` of many people, many objects by primary key) joins a
 * queue kept per session and per kind; the queue runs once, a few
 * microtask hops after its first load joined (still in the current tick, so
 * a lone load does not wait for the event loop), by when every load requested
 * in this tick has joined it: `await Promise.all(people.map(p => p.cars.load()))`
 * sends one SELECT. Each caller gets its own answer, or the batch's error.
 */
import type { SessionDb } from '../session/session-db.js'

interface Waiter<R> {
  resolve(value: R): void
  reject(error: unknown): void
}

interface Pending<I, R> {
  readonly items: I[]
  readonly waiters: Waiter<R>[]
}

/** Microtask hops before a batch runs: loads that first await a flush or a lookup join it in time. */
const DISPATCH_HOPS = 4

function afterHops(hops: number, fn: () => void): void {
  if (hops === 0) fn()
  else queueMicrotask(() => afterHops(hops - 1, fn))
}


async function dispatch<I, R>(pending: Pending<I, R>, run: (items: I[]) => Promise<R[]>): Promise<void> {
  let results: R[]
  try {
    results = await run(pending.items)
  } catch (error) {
    for (const w of pending.waiters) w.reject(error)
    return
  }
  pending.waiters.forEach((w, i) => w.resolve(results[i]!))
}

/**
 * Join the queue `kind` of this session with `item`; `run` answers a whole
 * batch (results in the order of its items) and is called once per batch.
 * @example
 * const cars = await batched(sdb, 'coll:Person.cars', person, (owners) => loadMany(owners))
 */
export function batched<I, R>(sdb: SessionDb, kind: string, item: I, run: (items: I[]) => Promise<R[]>): Promise<R> {
  // Kept on the session itself: a WeakMap entry per session cost more than the lookup it served.
  const perSession = (sdb.batchQueues ??= new Map()) as Map<string, Pending<unknown, unknown>>
  let pending = perSession.get(kind) as Pending<I, R> | undefined
  if (pending === undefined) {
    const fresh: Pending<I, R> = { items: [], waiters: [] }
    perSession.set(kind, fresh as Pending<unknown, unknown>)
    afterHops(DISPATCH_HOPS, () => {
      perSession.delete(kind)
      void dispatch(fresh, run)
    })
    pending = fresh
  }
  const target = pending
  return new Promise<R>((resolve, reject) => {
    target.items.push(item)
    target.waiters.push({ resolve, reject })
  })
}
