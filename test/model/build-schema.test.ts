import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { buildSchema } from '../../runtime/model/build-schema.js'
import { ERDiagramError } from '../../compiler/errors.js'
import { Int, Json, optional, primaryKey, required, set, Enum, DateOnly } from '../../runtime/model/attributes.js'

function rejects(definition: Parameters<typeof buildSchema>[0], message: RegExp): void {
  assert.throws(() => buildSchema(definition), (error: unknown) => {
    assert.ok(error instanceof ERDiagramError, `expected ERDiagramError, got ${String(error)}`)
    assert.match(error.message, message)
    return true
  })
}

describe('buildSchema: relations', () => {
  const schema = buildSchema({
    Person: { name: required(String), cars: set('Car'), friends: set('Person', { reverse: 'friends' }), passport: optional('Passport'), manager: optional('Person', { reverse: 'reports' }), reports: set('Person', { reverse: 'manager' }) },
    Car: { make: required(String), owner: required('Person'), tags: set('Tag') },
    Tag: { name: primaryKey(String), cars: set('Car') },
    Passport: { number: required(String), person: required('Person') },
  })
  const person = schema.entities.get('Person')!
  const car = schema.entities.get('Car')!

  test('one-to-many: the reference holds a foreign key column typed like the target key', () => {
    const owner = car.attrs.get('owner')!
    assert.equal(owner.relation, 'toOne')
    assert.deepEqual(owner.columns.map((c) => [c.name, c.type, c.nullable]), [['owner', 'int', false]])
    assert.equal(person.attrs.get('cars')!.relation, 'toMany')
    assert.equal(person.attrs.get('cars')!.reverse, owner)
    assert.equal(owner.onDelete, 'CASCADE')
    assert.equal(person.attrs.get('cars')!.cascadeDelete, true)
  })

  test('many-to-many: one link table named after both entities', () => {
    const tags = car.attrs.get('tags')!
    assert.equal(tags.relation, 'manyToMany')
    assert.equal(tags.link!.table, 'car_tag')
    assert.deepEqual(tags.link!.ownColumns.map((c) => [c.name, c.type]), [['car', 'int']])
    assert.deepEqual(tags.link!.targetColumns.map((c) => [c.name, c.type]), [['tag', 'string']])
    assert.equal(schema.linkTables.filter((l) => l.table === 'car_tag').length, 1)
  })

  test('symmetric self many-to-many gets columns person and person_2', () => {
    const friends = person.attrs.get('friends')!
    assert.equal(friends.reverse, friends)
    assert.deepEqual([...friends.link!.ownColumns, ...friends.link!.targetColumns].map((c) => c.name), ['person', 'person_2'])
  })

  test('one-to-one: the required side holds the unique column', () => {
    const holder = schema.entities.get('Passport')!.attrs.get('person')!
    assert.equal(holder.relation, 'toOne')
    assert.equal(holder.unique, true)
    assert.equal(person.attrs.get('passport')!.relation, 'toOneReverse')
    assert.deepEqual(person.attrs.get('passport')!.columns, [])
  })

  test('self reference: optional manager, reports collection', () => {
    const manager = person.attrs.get('manager')!
    assert.equal(manager.target, person)
    assert.equal(manager.onDelete, 'SET NULL')
    assert.equal(person.attrs.get('reports')!.reverse, manager)
  })

  test('no declared key: an auto-increment integer id first', () => {
    assert.equal(person.pk.length, 1)
    assert.equal(person.pk[0]!.name, 'id')
    assert.equal(person.pk[0]!.auto, true)
    assert.equal([...person.attrs.keys()][0], 'id')
  })
})

describe('buildSchema: keys, indexes, tables', () => {
  test('composite primary key and composite unique; a reference to it has one column per key column', () => {
    const schema = buildSchema({
      Enrollment: { student: required(String), course: required(Int), grade: optional(Int), $primaryKey: ['student', 'course'], $unique: [['grade', 'course']], notes: set('Note') },
      Note: { text: required(String), enrollment: required('Enrollment') },
    })
    const e = schema.entities.get('Enrollment')!
    assert.deepEqual(e.pk.map((a) => a.name), ['student', 'course'])
    assert.deepEqual(e.indexes.map((i) => [i.name, i.unique]), [['unq_enrollment__grade_course', true]])
    const ref = schema.entities.get('Note')!.attrs.get('enrollment')!
    assert.deepEqual(ref.columns.map((c) => [c.name, c.type]), [['enrollment_student', 'string'], ['enrollment_course', 'int']])
  })

  test('$table, column option, index names, snake_case tables', () => {
    const schema = buildSchema({
      OrderItem: { sku: required(String, { index: true, column: 'sku_code' }), qty: required(Int, { index: 'by_qty' }), $table: 'items' },
      LineNote: { body: required(String), kind: required(Enum(['a', 'b'])), day: optional(DateOnly), data: optional(Json()) },
    })
    const item = schema.entities.get('OrderItem')!
    assert.equal(item.table, 'items')
    assert.deepEqual(item.attrs.get('sku')!.columns.map((c) => c.name), ['sku_code'])
    assert.deepEqual(item.indexes.map((i) => i.name), ['idx_items__sku_code', 'by_qty'])
    assert.equal(schema.entities.get('LineNote')!.table, 'line_note')
    assert.deepEqual(schema.entities.get('LineNote')!.attrs.get('kind')!.enumValues, ['a', 'b'])
  })

  test('single-table inheritance: subclass shares the table, its columns are nullable, discriminator added', () => {
    const schema = buildSchema({
      Person: { name: required(String) },
      Student: { $extends: 'Person', gpa: required(Number) },
    })
    const student = schema.entities.get('Student')!
    const person = schema.entities.get('Person')!
    assert.equal(student.table, 'person')
    assert.equal(person.discriminator, 'classtype')
    assert.deepEqual([...student.attrs.keys()], ['id', 'name', 'gpa'])
    assert.equal(student.attrs.get('gpa')!.columns[0]!.nullable, true)
    assert.equal(student.attrs.get('gpa')!.nullable, false)
    assert.deepEqual(person.family.map((e) => e.name), ['Person', 'Student'])
  })
})

describe('buildSchema: every modelling mistake is an ERDiagramError naming entity and attribute', () => {
  test('unknown entity', () => rejects({ Car: { owner: required('Persn') } }, /^Car\.owner: unknown entity 'Persn'/))
  test('unpaired reverse', () => rejects({ Person: { name: required(String) }, Car: { owner: required('Person') } }, /^Car\.owner: no reverse attribute: add one to Person/))
  test('ambiguous reverse', () => rejects({
    Person: { cars: set('Car'), driven: set('Car') },
    Car: { owner: required('Person') },
  }, /^Car\.owner: ambiguous reverse: Person\.cars, Person\.driven all point to Car/))
  test('two primary keys', () => rejects({ A: { x: primaryKey(Int), y: primaryKey(Int) } }, /^A\.y: two primary keys \(x, y\)/))
  test('unknown option', () => rejects({ A: { x: required(Int, { colour: 'red' } as never) } }, /^A\.x: unknown option 'colour'/))
  test('bad maxLen', () => rejects({ A: { x: required(String, { maxLen: -1 }) } }, /^A\.x: maxLen must be a positive integer/))
  test('auto on a string key', () => rejects({ A: { x: primaryKey(String, { auto: true }) } }, /^A\.x: auto applies to an Int or BigInt primary key only/))
  test('unknown type', () => rejects({ A: { x: required(Symbol as never) } }, /^A\.x: unknown type/))
  test('unknown $ key', () => rejects({ A: { x: required(Int), $tabel: 'a' } }, /^A: unknown entity option '\$tabel'/))
  test('$primaryKey names an unknown attribute', () => rejects({ A: { x: required(Int), $primaryKey: ['y'] } }, /^A\.y: \$primaryKey names an unknown attribute/))
  test('both sides of a one-to-one required', () => rejects({
    A: { b: required('B') }, B: { a: required('A') },
  }, /^A\.b: one-to-one with B\.a: both sides are required/))
  test('reverse that does not point back', () => rejects({
    A: { bs: set('B', { reverse: 'name' }) }, B: { name: required(String), a: required('A') },
  }, /^A\.bs: reverse B\.name does not point back to A/))
  test('set of a scalar', () => rejects({ A: { xs: set(String as never) } }, /^A\.xs: /))
  test('not an attribute', () => rejects({ A: { x: 5 as never } }, /^A\.x: expected required\(\.\.\.\)/))
  test('$extends an unknown entity', () => rejects({ A: { $extends: 'B', x: required(Int) } }, /^A: \$extends names an unknown entity 'B'/))
})
