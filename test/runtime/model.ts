/** The model the runtime tests share: every relation kind, inheritance, hooks, composite keys. */
import {
  Database, Int, Json, optional, required, set, primaryKey, Decimal, DateOnly, Uuid, Enum, LongStr, computed,
} from '../../runtime/index.js'
import type { TestTarget } from '../support/databases.js'
import { useTables } from '../support/tables.js'

export const hookLog: string[] = []

export function defineModel(db: Database) {
  return db.define({
    Person: {
      name: required(String, { maxLen: 20, index: true }),
      age: required(Int, { min: 0, max: 200 }),
      email: optional(String, { unique: true }),
      nick: optional(String, { check: (v: string) => v !== 'root' }),
      cars: set('Car'),
      passport: optional('Passport'),
      friends: set('Person', { reverse: 'friends' }),
      manager: optional('Person', { reverse: 'reports' }),
      reports: set('Person', { reverse: 'manager' }),
      notes: set('Note'),
      label: computed((p: { name: string; age: number }) => `${p.name} (${p.age})`),
    },
    Student: { $extends: 'Person', gpa: required(Number) },
    Car: {
      make: required(String),
      year: optional(Int),
      owner: required('Person'),
      tags: set('Tag'),
      $hooks: {
        beforeInsert: (c: { make: string }) => { hookLog.push(`beforeInsert ${c.make}`) },
        afterInsert: (c: { make: string }) => { hookLog.push(`afterInsert ${c.make}`) },
        beforeUpdate: (c: { make: string }) => { hookLog.push(`beforeUpdate ${c.make}`) },
        afterUpdate: (c: { make: string }) => { hookLog.push(`afterUpdate ${c.make}`) },
        beforeDelete: (c: { make: string }) => { hookLog.push(`beforeDelete ${c.make}`) },
        afterDelete: (c: { make: string }) => { hookLog.push(`afterDelete ${c.make}`) },
      },
    },
    Tag: { name: primaryKey(String), cars: set('Car') },
    Passport: { number: required(String, { unique: true }), person: required('Person') },
    Note: { text: required(String), author: optional('Person', { reverse: 'notes' }) },
    Library: { name: required(String), books: set('Book', { cascadeDelete: false }) },
    Book: { title: required(String), library: required('Library') },
    Grade: { student: required(String), course: required(Int), score: optional(Int), $primaryKey: ['student', 'course'] },
    Sample: {
      text: optional(String), long: optional(LongStr), num: optional(Number), int: optional(Int), big: optional(BigInt),
      flag: optional(Boolean), when: optional(Date), day: optional(DateOnly), money: optional(Decimal, { precision: 30, scale: 10 }),
      uuid: optional(Uuid), bytes: optional(Uint8Array), data: optional(Json<unknown>()), kind: optional(Enum(['a', 'b'])),
    },
  })
}

export type Model = ReturnType<typeof defineModel>

/** A database for one target with the model's tables created before and dropped after the suite. */
export function useModel(target: TestTarget): { db: Database; model: Model } {
  const db = new Database({ ...target.options, poolSize: 4, acquireTimeoutMs: 5000 })
  const model = defineModel(db)
  useTables(db)
  return { db, model }
}

/** Every statement sent while `fn` runs. */
export async function capture<T>(db: Database, fn: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
  const sql: string[] = []
  const listener = (e: { sql: string }): void => { sql.push(e.sql) }
  db.on('query', listener)
  try {
    return { result: await fn(), sql }
  } finally {
    db.off('query', listener)
  }
}
