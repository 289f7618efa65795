/**
 * Injection suite: hostile values through every place a value enters pinto
 * (params of select/filter/get/exists, get({attr: value}), attribute
 * assignment, new Entity({...}), set({...})) on every database. Values are
 * bound, never spliced: the rows whose names ARE the payloads come back
 * exactly, pattern characters match literally, NUL bytes are a ValueError,
 * wrong kinds of values a TypeError (never a numeric comparison with text),
 * prototype keys are never read. After every test the data and the schema
 * are checked unchanged: the table list and every table's row count.
 * (Raw SQL and migrations are other entry points, tested elsewhere.)
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  Database, Int, LongStr, OrmError, TranslationError, TypeError as PintoTypeError, ValueError, dbSession, optional, required, set,
} from '../../runtime/index.js'
import { eachTarget, type TestTarget } from '../support/databases.js'

const MB = 'x'.repeat(1024 * 1024 - 3) + '\'"\\'

/** Hostile strings: each is also the name of one seeded account, so an exact match must find exactly that row. */
const PAYLOADS: readonly string[] = [
  '\'; DROP TABLE account; --',
  '\' OR \'1\'=\'1',
  '" OR ""="',
  '\') OR 1=1 --',
  '\\\'; DROP TABLE account; -- ',
  '\\',
  '\\\\\'',
  '\\0',
  '%',
  '_',
  '%_%',
  '!',
  'a!%b',
  'it\u2019s\u2019 OR \u2019\u2019=\u2019',
  '\uff07 OR 1=1 --',
  '\uff07; DROP TABLE account; --',
  '$1',
  '?',
  ':name',
  '`; DROP TABLE account; --`',
  '*/ SELECT 1 /*',
  '1; SELECT pg_sleep(0); --',
  '\'||(SELECT name FROM canary)||\'',
  'x\r\ny\tz',
  '😀\'',
  'é\u0301\u200b',
]

function defineModel(db: Database) {
  return db.define({
    Account: {
      name: required(String, { autostrip: false, unique: true }),
      note: optional(String, { autostrip: false }),
      age: optional(Int),
      body: optional(LongStr),
      posts: set('Post'),
    },
    Post: { title: required(String, { autostrip: false }), author: required('Account') },
    Canary: { word: required(String) },
  })
}

const CATALOG: Record<TestTarget['provider'], string> = {
  sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
  postgres: 'SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1',
  mysql: 'SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1',
}

const rejectsWith = (cls: (new (...args: never[]) => Error) | (new (...args: never[]) => Error)[], pattern?: RegExp) => (e: unknown): boolean => {
  const classes = Array.isArray(cls) ? cls : [cls]
  assert.ok(classes.some((c) => e instanceof c) && e instanceof OrmError, `expected ${classes.map((c) => c.name).join(' or ')}, got ${String(e)}`)
  if (pattern !== undefined) assert.match((e as Error).message, pattern)
  return true
}

/**
 * A param of the wrong kind (object, array, number for text) changes the query's shape: pinto refuses it
 * with a TranslationError when the query is built (SEMANTICS #26), or a TypeError when the value is bound.
 * Either way an OrmError before any SQL is sent.
 */
const BAD_PARAM = [PintoTypeError, TranslationError]

/** Params of the wrong kind on purpose: the lambdas' `$` is untyped where the test feeds it hostile values. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any

eachTarget('sec_injection', (target) => {
  const db = new Database({ ...target.options, poolSize: 2, acquireTimeoutMs: 10000 })
  const { Account, Post, Canary } = defineModel(db)
  type Acc = InstanceType<typeof Account>
  const ids = new Map<string, number>()

  /** The table list and each table's row count, read from the catalog and with COUNT(*). */
  async function snapshot(): Promise<{ tables: string[]; counts: Record<string, number> }> {
    const conn = await db.acquireFor(null)
    try {
      const tables = (await conn.query(CATALOG[target.provider], [])).rows.map((r) => String((r as unknown[])[0]))
      const counts: Record<string, number> = {}
      for (const t of tables) counts[t] = Number(((await conn.query(`SELECT COUNT(*) FROM ${db.dialect.flavor.quoteId(t)}`, [])).rows[0] as unknown[])[0])
      return { tables, counts }
    } finally {
      db.release(conn)
    }
  }
  let baseline: { tables: string[]; counts: Record<string, number> }

  before(async () => {
    await db.dropAllTables({ withAllData: true }).catch(() => undefined)
    await db.generateMapping({ createTables: true })
    await dbSession.run(async () => {
      const made = PAYLOADS.map((name, i) => new Account({ name, note: PAYLOADS[(i + 1) % PAYLOADS.length]!, age: i }))
      made.forEach((a, i) => new Post({ title: PAYLOADS[i]!, author: a }))
      new Canary({ word: 'alive' })
      await (await import('../../runtime/index.js')).flush()
      made.forEach((a, i) => ids.set(PAYLOADS[i]!, a.id))
    })
    baseline = await snapshot()
    assert.deepEqual(Object.keys(baseline.counts).length >= 3, true, `tables: ${baseline.tables.join(', ')}`)
    assert.equal(baseline.counts[baseline.tables.find((t) => t.toLowerCase().includes('account'))!], PAYLOADS.length)
  })
  after(async () => {
    await db.dropAllTables({ withAllData: true })
    await db.disconnect()
  })

  /** Run `fn` and assert that it sent no statement at all (rejections happen before any SQL). */
  async function noSql(fn: () => Promise<void>): Promise<void> {
    const sent: string[] = []
    const listener = (e: { sql: string }): void => { sent.push(e.sql) }
    db.on('query', listener)
    try {
      await fn()
    } finally {
      db.off('query', listener)
    }
    assert.deepEqual(sent, [])
  }

  /** Each test must leave the data and schema as they were (writes are undone by the test itself). */
  const unchanged = async (): Promise<void> => assert.deepEqual(await snapshot(), baseline)

  const idsOf = (rows: readonly Acc[]): number[] => rows.map((a) => a.id).sort((x, y) => x - y)
  const idsWhere = (pred: (name: string) => boolean): number[] => PAYLOADS.filter(pred).map((p) => ids.get(p)!).sort((x, y) => x - y)

  describe('params of select, filter, get, exists', () => {
    it('an exact match finds exactly the row whose name is the payload', async () => {
      await dbSession.run(async () => {
        for (const s of PAYLOADS) {
          assert.deepEqual(idsOf(await Account.select((a, $) => a.name === $.s, { s })), [ids.get(s)], s)
          assert.deepEqual(idsOf(await Account.select().filter((a, $) => a.name !== $.s && a.age! >= 0, { s })), idsWhere((n) => n !== s), s)
          assert.equal((await Account.get((a, $) => a.name === $.s, { s }))?.id, ids.get(s), s)
          assert.equal(await Account.exists((a, $) => a.note === $.s, { s }), true, s)
          assert.equal(await Account.exists((a, $) => a.name === $.s + 'zz', { s }), false, s)
          assert.deepEqual(await Post.select((p, $) => p.author.name === $.s, { s }).map((p) => p.title).fetch(), [s], s)
        }
      })
      await unchanged()
    })

    it('startsWith / endsWith / includes match %, _, ! and quotes literally', async () => {
      await dbSession.run(async () => {
        for (const s of [...PAYLOADS, '%', '_', '!', '\\', '\'', '\u2019', '\uff07', '%_', '!%']) {
          assert.deepEqual(idsOf(await Account.select((a, $) => a.name.startsWith($.s), { s })), idsWhere((n) => n.startsWith(s)), `startsWith ${s}`)
          assert.deepEqual(idsOf(await Account.select((a, $) => a.name.endsWith($.s), { s })), idsWhere((n) => n.endsWith(s)), `endsWith ${s}`)
          assert.deepEqual(idsOf(await Account.select((a, $) => a.name.includes($.s), { s })), idsWhere((n) => n.includes(s)), `includes ${s}`)
        }
      })
      await unchanged()
    })

    it('a payload as a list element, and in get({ attr: value })', async () => {
      await dbSession.run(async () => {
        assert.deepEqual(idsOf(await Account.select((a, $) => $.names.includes(a.name), { names: [...PAYLOADS.slice(0, 5), 'nobody'] })), idsWhere((n) => PAYLOADS.slice(0, 5).includes(n)))
        for (const s of PAYLOADS) assert.equal((await Account.get({ name: s }))?.id, ids.get(s), s)
        assert.equal(await Account.get({ name: '\' OR \'1\'=\'1\' --' }), null)
      })
      await unchanged()
    })

    it('a 1 MB string is a value like any other', async () => {
      await dbSession.run(async () => {
        assert.deepEqual(await Account.select((a, $) => a.name === $.s || a.note === $.s, { s: MB }).fetch(), [])
        assert.equal(await Account.get({ name: MB }), null)
        assert.equal(await Account.exists((a, $) => a.name.includes($.s), { s: MB }), false)
      })
      await unchanged()
    })

    it('noSql fails when SQL is sent the same way (its control): it saw the SELECT', async () => {
      let found: number[] = []
      const seen = await noSql(() => dbSession.run(async () => {
        found = idsOf(await Account.select((a, $) => a.name === $.s, { s: '%' }).fetch())
      })).then(() => assert.fail('noSql passed although a SELECT was sent'), (e: unknown) => e)
      assert.ok(seen instanceof assert.AssertionError, String(seen))
      const sent = seen.actual as string[]
      assert.equal(sent.length, 1, sent.join('\n'))
      assert.match(sent[0]!, /^SELECT .*account/i)
      assert.deepEqual(found, [ids.get('%')])
      await unchanged()
    })

    it('a NUL byte is a ValueError, before any SQL', async () => {
      await noSql(() => dbSession.run(async () => {
        await assert.rejects(Account.select((a, $) => a.name === $.s, { s: 'a\u0000\'; DROP TABLE account; --' }).fetch(), rejectsWith(ValueError, /NUL/))
        await assert.rejects(Account.get({ name: '\u0000' }), rejectsWith(ValueError, /NUL/))
        await assert.rejects(Account.exists((a, $: Loose) => a.name.startsWith($.s), { s: '%\u0000' }), rejectsWith(ValueError, /NUL/))
      }))
      await unchanged()
    })

    it('objects, arrays and { toString() } where a scalar is expected are a TypeError', async () => {
      const sneaky = { toString: () => '\' OR \'1\'=\'1', valueOf: () => 1 }
      await noSql(() => dbSession.run(async () => {
        for (const s of [sneaky, ['\' OR 1=1 --'], { name: 'x' }, new Map([['a', 1]])]) {
          await assert.rejects(Account.select((a, $: Loose) => a.name === $.s, { s }).fetch(), rejectsWith(BAD_PARAM), String(s))
          await assert.rejects(Account.get({ name: s as never }), rejectsWith(PintoTypeError), String(s))
          await assert.rejects(Account.exists((a, $: Loose) => a.age === $.s, { s }), rejectsWith(BAD_PARAM), String(s))
          await assert.rejects(Account.select((a, $: Loose) => a.name.startsWith($.s), { s }).fetch(), rejectsWith(BAD_PARAM), String(s))
        }
      }))
      await unchanged()
    })

    it('a number for a text column is a TypeError, never a numeric comparison', async () => {
      await noSql(() => dbSession.run(async () => {
        for (const s of [0, 1, -1, 0.5, 1n, true]) {
          await assert.rejects(Account.select((a, $: Loose) => a.name === $.s, { s }).fetch(), rejectsWith(BAD_PARAM), String(s))
          await assert.rejects(Account.select((a, $: Loose) => a.name.includes($.s), { s }).fetch(), rejectsWith(BAD_PARAM), String(s))
          await assert.rejects(Account.get({ name: s as never }), rejectsWith(PintoTypeError), String(s))
        }
        await assert.rejects(Account.get({ age: '1 OR 1=1' as never }), rejectsWith(PintoTypeError))
        await assert.rejects(Account.select((a, $: Loose) => a.age === $.s, { s: '0 OR 1=1' }).fetch(), rejectsWith(BAD_PARAM))
      }))
      await unchanged()
    })

    it('__proto__ and constructor: own keys are values; inherited keys are never read', async () => {
      const own = JSON.parse('{"__proto__": "%", "constructor": "_"}') as Record<string, unknown>
      await dbSession.run(async () => {
        assert.deepEqual(idsOf(await Account.select((a, $: Loose) => a.name === $.__proto__ || a.name === $.constructor, own)), idsWhere((n) => n === '%' || n === '_'))
        // Inherited keys (a prototype's field, Object.prototype.constructor/toString) are not params: the query is refused.
        const inherited = Object.create({ s: '%' }) as Record<string, unknown>
        await assert.rejects(Account.select((a, $: Loose) => a.name === $.s, inherited).fetch(), rejectsWith(TranslationError, /no 's'/))
        await assert.rejects(Account.select((a, $: Loose) => a.name === $.constructor, {}).fetch(), rejectsWith(TranslationError, /no 'constructor'/))
        await assert.rejects(Account.select((a, $: Loose) => a.name === $.toString, {}).fetch(), rejectsWith(TranslationError, /no 'toString'/))
        await assert.rejects(Account.select((a, $: Loose) => a.name === $.__proto__, {}).fetch(), rejectsWith(TranslationError, /no '__proto__'/))
        await assert.rejects(Account.get(JSON.parse('{"__proto__": "%"}') as never), rejectsWith(PintoTypeError, /__proto__/))
        await assert.rejects(Account.get({ constructor: '%' } as never), rejectsWith(PintoTypeError, /constructor/))
      })
      assert.equal(({} as Record<string, unknown>).s, undefined, 'Object.prototype was not polluted')
      await unchanged()
    })
  })

  describe('values written: new Entity, assignment, set()', () => {
    it('payloads round trip exactly through insert, assignment and set, and nothing else changes', async () => {
      const created = await dbSession.run(async () => PAYLOADS.map((s) => new Account({ name: `new ${s}`, note: s, body: s + MB })))
      await dbSession.run(async () => {
        for (const [i, s] of PAYLOADS.entries()) {
          const a = await (await Account.get(created[i]!.id))!.load()
          assert.equal(a.name, `new ${s}`)
          assert.equal(a.note, s)
          assert.equal(a.body, s + MB)
          a.note = `${s}${s}`
          a.set({ name: `set ${s}`, body: null })
        }
      })
      await dbSession.run(async () => {
        for (const [i, s] of PAYLOADS.entries()) {
          const a = await (await Account.get({ name: `set ${s}` }))!.load()
          assert.equal(a.id, created[i]!.id)
          assert.equal(a.note, `${s}${s}`)
          assert.equal(a.body, null)
        }
        // Only these rows changed: the seeded ones are intact.
        for (const s of PAYLOADS) assert.equal((await Account.get(ids.get(s)!))!.name, s)
        for (const a of created) (await Account.get(a.id))!.delete()
      })
      await unchanged()
    })

    it('a NUL byte is a ValueError in new, assignment and set; nothing is recorded', async () => {
      await dbSession.run(async () => {
        assert.throws(() => new Account({ name: '\'; DROP TABLE account; --\u0000' }), rejectsWith(ValueError, /Account\.name: text may not contain a NUL/))
        const a = (await Account.get(ids.get('%')!))!
        assert.throws(() => { a.note = 'x\u0000y' }, rejectsWith(ValueError, /NUL/))
        assert.throws(() => a.set({ note: 'ok', name: '\u0000' }), rejectsWith(ValueError, /NUL/))
        assert.equal(a.name, '%')
        assert.equal(a.note, PAYLOADS[(PAYLOADS.indexOf('%') + 1) % PAYLOADS.length])
      })
      await unchanged()
    })

    it('wrong kinds of values are a TypeError in new, assignment and set', async () => {
      const sneaky = { toString: () => '\' OR \'1\'=\'1' }
      await dbSession.run(async () => {
        const a = (await Account.get(ids.get('_')!))!
        for (const v of [sneaky, ['x'], { a: 1 }, 0, 1n, true, new Date(0)]) {
          assert.throws(() => new Account({ name: v as never }), rejectsWith(PintoTypeError, /Account\.name: expected a string/), String(v))
          assert.throws(() => { a.note = v as never }, rejectsWith(PintoTypeError, /Account\.note/), String(v))
          assert.throws(() => a.set({ note: v as never }), rejectsWith(PintoTypeError, /Account\.note/), String(v))
        }
        assert.throws(() => { a.age = '1; DROP TABLE account' as never }, rejectsWith(PintoTypeError, /Account\.age/))
        assert.equal(a.note, PAYLOADS[(PAYLOADS.indexOf('_') + 1) % PAYLOADS.length])
      })
      await unchanged()
    })

    it('__proto__ and constructor keys in new and set() are unknown attributes', async () => {
      await dbSession.run(async () => {
        const polluted = JSON.parse('{"name": "proto", "__proto__": {"note": "injected"}}') as Record<string, unknown>
        assert.throws(() => new Account(polluted as never), rejectsWith(PintoTypeError, /__proto__/))
        assert.throws(() => new Account({ name: 'ctor', constructor: 'x' } as never), rejectsWith(PintoTypeError, /constructor/))
        const a = (await Account.get(ids.get('!')!))!
        assert.throws(() => a.set(JSON.parse('{"__proto__": {"name": "hacked"}}') as never), rejectsWith(PintoTypeError, /__proto__/))
        assert.throws(() => a.set({ constructor: 'x' } as never), rejectsWith(PintoTypeError, /constructor/))
        assert.equal(a.name, '!')
        assert.equal(Object.getPrototypeOf(a), Account.prototype)
      })
      assert.equal(({} as Record<string, unknown>).note, undefined, 'Object.prototype was not polluted')
      await unchanged()
    })
  })
})
