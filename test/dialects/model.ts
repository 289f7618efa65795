/**
 * The model the dialect tests share: every value type, every option the DDL
 * reads, and every relation kind — one-to-many, many-to-many (plain and
 * symmetric), one-to-one, a self reference, a mutual reference cycle,
 * composite primary and foreign keys, $unique, $index, $table, an Enum with a
 * quote in a value, sqlDefault, names too long for the identifier limit, and
 * single-table inheritance.
 */
import { buildSchema, type Schema } from '../../runtime/model/build-schema.js'
import { DateOnly, Decimal, Enum, Int, Json, LongStr, Uuid, optional, primaryKey, required, set } from '../../runtime/model/attributes.js'

/** A column of every value type, for round trips. */
const sampleAttrs = {
  id: primaryKey(BigInt, { auto: true }),
  s: optional(String),
  short: optional(String, { maxLen: 20 }),
  long: optional(LongStr),
  n: optional(Number),
  i: optional(Int),
  big: optional(BigInt),
  flag: optional(Boolean),
  at: optional(Date),
  day: optional(DateOnly),
  dec: optional(Decimal),
  uid: optional(Uuid),
  bytes: optional(Uint8Array),
  doc: optional(Json()),
  kind: optional(Enum(['a', 'b'])),
}

/** A table name long enough that its constraint names must be shortened (63/64 characters). */
export const LONG_TABLE = 'a_table_name_that_is_rather_long_for_testing_identifier_limits'

export function ddlModel(): Schema {
  return buildSchema({
    Sample: sampleAttrs,
    Person: {
      name: required(String, { maxLen: 100, index: true }),
      nick: required(String, { sqlDefault: "'new'" }),
      email: optional(String, { unique: true }),
      age: required(Int, { sqlDefault: '0' }),
      status: required(Enum(['active', "it's", 'back\\slash'])),
      mentor: optional('Person', { reverse: 'mentees' }),
      mentees: set('Person', { reverse: 'mentor' }),
      friends: set('Person', { reverse: 'friends' }),
      cars: set('Car'),
      gadgets: set('Gadget'),
      passport: optional('Passport'),
    },
    Student: { $extends: 'Person', gpa: optional(Number) },
    Car: { $table: 'vehicles', make: required(String), owner: required('Person'), tags: set('Tag') },
    Tag: { name: primaryKey(String), cars: set('Car') },
    Passport: { code: primaryKey(String, { maxLen: 20 }), holder: required('Person') },
    Dept: { name: required(String, { maxLen: 50 }), manager: optional('Emp', { reverse: 'managed' }), staff: set('Emp', { reverse: 'dept' }) },
    Emp: { name: required(String, { maxLen: 50 }), dept: required('Dept', { reverse: 'staff' }), managed: optional('Dept', { reverse: 'manager' }) },
    Shipment: {
      $primaryKey: ['code', 'seq'],
      $unique: [['ref', 'day']],
      $index: [['weight', 'seq']],
      code: required(String, { maxLen: 10 }),
      seq: required(Int),
      ref: required(String),
      day: optional(DateOnly),
      weight: optional(Decimal, { precision: 12, scale: 3 }),
      count: optional(Decimal, { precision: 8 }),
      lines: set('Line'),
    },
    Line: { shipment: required('Shipment'), qty: required(Int) },
    Gadget: { $table: LONG_TABLE, owner: required('Person'), label: required(String, { index: true }) },
  })
}

/** One table with a column of every type, for round trips. */
export function valuesModel(): Schema {
  return buildSchema({ Sample: sampleAttrs })
}
