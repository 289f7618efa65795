/**
 * The read of one row by primary key (`selectByPkSql`): the one-key
 * `selectByKeysSql` of each flavor, kept per flavor and entity, and
 * restricted to a subclass's discriminator values when given them.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { selectByKeysSql, selectByPkSql } from '../../compiler/dml.js'
import { pkColumnsOf } from '../../compiler/schema.js'
import { FLAVORS, schema } from './fixtures.js'

describe('selectByPkSql', () => {
  const person = schema.entities.get('Person')!
  const student = schema.entities.get('Student')!

  it('is the one-key SELECT of each flavor, each flavor its own text', () => {
    const texts = Object.values(FLAVORS).map((flavor) => {
      const sql = selectByPkSql(flavor, person, undefined)
      assert.equal(sql, selectByKeysSql(flavor, person, pkColumnsOf(person).names, 1))
      assert.equal(selectByPkSql(flavor, person, undefined), sql)
      return sql
    })
    assert.equal(new Set(texts).size, 3, texts.join('\n'))
    assert.match(texts[1]!, /"t"\."id" = \$1$/)
    assert.match(texts[2]!, /`t`\.`id` = \?$/)
  })

  it('restricts a subclass to its discriminator values, and a different list gets its own text', () => {
    const flavor = FLAVORS.sqlite
    const plain = selectByPkSql(flavor, student, undefined)
    const restricted = selectByPkSql(flavor, student, ['Student'])
    assert.equal(restricted, selectByKeysSql(flavor, student, pkColumnsOf(student).names, 1, { discriminatorValues: ['Student'] }))
    assert.notEqual(restricted, plain)
    assert.match(restricted, /WHERE "t"\."id" = \? AND "t"\."classtype" IN \(\?\)$/)
    assert.equal(selectByPkSql(flavor, student, undefined), plain)
  })
})
