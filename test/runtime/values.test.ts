import { it } from 'node:test'
import assert from 'node:assert/strict'
import { dbSession } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { useModel } from './model.js'

const samples = [
  {
    text: 'héllo 😀 \'quote\' "dq" \\back',
    long: 'x'.repeat(70000),
    num: -1234.5678,
    int: -2147483648,
    big: 9223372036854775807n,
    flag: true,
    when: new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999)),
    day: '2024-02-29',
    money: '12345678901234567890.0123456789',
    uuid: '123e4567-e89b-12d3-a456-426614174000',
    bytes: new Uint8Array([0, 1, 2, 255, 0]),
    data: { a: [1, 'two', null, { nested: true }], 'ключ': 'значение' },
    kind: 'b' as const,
  },
  {
    text: 'plain', long: '', num: 0.1 + 0.2, int: 0, big: -9223372036854775808n, flag: false,
    when: new Date(Date.UTC(1970, 0, 1, 0, 0, 0, 1)), day: '1999-12-31', money: '-0.50', uuid: '00000000-0000-0000-0000-000000000000',
    bytes: new Uint8Array([]), data: 'just a string', kind: 'a' as const,
  },
]

eachTarget('rt_values', (target) => {
  const { model } = useModel(target)
  const { Sample } = model

  it('every type round-trips exactly through an entity', async () => {
    const ids = await dbSession.run(async () => samples.map((s) => new Sample(s)).map((o) => o))
    const idList = ids.map((o) => o.id)
    await dbSession.run(async () => {
      for (const [i, id] of idList.entries()) {
        const o = (await Sample.get(id))!
        await o.load()
        const expected = samples[i]!
        assert.equal(o.text, expected.text)
        assert.equal(o.long, expected.long)
        assert.equal(o.num, expected.num)
        assert.equal(o.int, expected.int)
        assert.equal(o.big, expected.big)
        assert.equal(o.flag, expected.flag)
        assert.ok(o.when instanceof Date)
        assert.equal(o.when.toISOString(), expected.when.toISOString())
        assert.equal(o.day, expected.day)
        assert.equal(o.money, expected.money === '-0.50' ? '-0.5' : expected.money)
        assert.equal(o.uuid, expected.uuid)
        assert.ok(o.bytes instanceof Uint8Array)
        assert.deepEqual([...o.bytes], [...expected.bytes])
        assert.deepEqual(o.data, expected.data)
        assert.equal(o.kind, expected.kind)
      }
    })
  })

  it('nulls round-trip for every optional type', async () => {
    const id = (await dbSession.run(async () => new Sample({}))).id
    await dbSession.run(async () => {
      const o = (await Sample.get(id))!
      await o.load()
      for (const key of ['text', 'long', 'num', 'int', 'big', 'flag', 'when', 'day', 'money', 'uuid', 'bytes', 'data', 'kind'] as const) {
        assert.equal(o[key], null, key)
      }
    })
  })

  it('a long string attribute is lazy: not loaded by a query, loaded on demand', async () => {
    const id = (await dbSession.run(async () => new Sample({ long: 'lazy text' }))).id
    await dbSession.run(async () => {
      const o = (await Sample.select((s, $) => s.id === $.id, { id }).first())!
      assert.throws(() => o.long, /not loaded/)
      await o.load()
      assert.equal(o.long, 'lazy text')
    })
  })
})
