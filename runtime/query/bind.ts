/**
 * Binding: from a compiled query's parameter slots and this run's params
 * objects to the values sent to the driver. Values are read from the params
 * objects by own properties only (never from prototypes), entity objects
 * become their primary keys, and each value is converted by the dialect for
 * the type it is compared with, so a number never reaches a text column.
 */
import { OrmTypeError } from '../../compiler/errors.js'
import { lambdaInputs, type CompiledQuery, type QueryOp, type QuerySpec } from '../../compiler/query-spec.js'
import type { ScalarType } from '../../compiler/schema.js'
import { boundType } from '../../compiler/translate/param-shape.js'
import type { Dialect } from '../../dialects/dialect.js'
import { stateIfEntity } from '../entity/state.js'

/** The scalar type of a JS value bound without a known column type (any other object is bound as JSON). */
export function inferType(value: unknown): ScalarType {
  return boundType(value) ?? 'json'
}

/** `value[key]` for a param path step: own properties only; an entity's attribute as it reads. */
function step(value: unknown, key: string | number, slotPath: readonly (string | number)[]): unknown {
  if (value === null || value === undefined) return undefined
  const state = stateIfEntity(value)
  if (state !== undefined) return (value as Record<string | number, unknown>)[key]
  if (typeof value !== 'object') throw new OrmTypeError(`${where(slotPath)}: expected an object or array, got ${typeof value}`)
  return Object.hasOwn(value, key) ? (value as Record<string | number, unknown>)[key] : undefined
}

function where(slotPath: readonly (string | number)[]): string {
  return `param ${slotPath.join('.')}`
}

/** A related entity stands for its primary key. */
function unwrap(value: unknown): unknown {
  const state = stateIfEntity(value)
  if (state === undefined) return value
  if (state.meta.pk.length !== 1) throw new OrmTypeError(`${state.meta.name} has a composite primary key: compare its attributes one by one`)
  return unwrap(state.values[state.meta.pk[0]!.index])
}

/** A converted list value as a JSON token. */
function jsonItem(value: unknown): string {
  switch (typeof value) {
    case 'string': return JSON.stringify(value)
    case 'number': if (Number.isFinite(value)) return String(value); break
    case 'bigint': return value.toString()
    case 'boolean': return value ? 'true' : 'false'
    default: break
  }
  throw new OrmTypeError(`A ${value instanceof Object ? value.constructor.name : typeof value} value cannot be sent in a JSON list`)
}

/** A whole list bound as one value: nulls left out, each element converted for `type`, then a JS array or JSON text. */
function bindList(dialect: Dialect, value: unknown, type: ScalarType | null, encoding: 'array' | 'json', slotPath: readonly (string | number)[]): unknown {
  if (!Array.isArray(value)) throw new OrmTypeError(`${where(slotPath)}: expected an array`)
  const out: unknown[] = []
  for (const item of value as readonly unknown[]) {
    const v = unwrap(item)
    if (v !== null && v !== undefined) out.push(dialect.toDb(v, type ?? inferType(v)))
  }
  return encoding === 'array' ? out : `[${out.map(jsonItem).join(',')}]`
}

/** The last `limit` op of the spec (the one that applies), if any. */
function lastLimit(spec: QuerySpec): Extract<QueryOp, { op: 'limit' }> | undefined {
  for (let i = spec.ops.length - 1; i >= 0; i--) {
    const op = spec.ops[i]!
    if (op.op === 'limit') return op
  }
  return undefined
}

/** The row count of the last `random(n)` op (the one that applies). */
function lastRandom(spec: QuerySpec): number {
  for (let i = spec.ops.length - 1; i >= 0; i--) {
    const op = spec.ops[i]!
    if (op.op === 'random') return op.n
  }
  throw new OrmTypeError('a random() slot without a random(n) op')
}

/** The values for the driver, one per slot of `compiled`, read from this run's spec. */
export function bindParams(dialect: Dialect, compiled: CompiledQuery, spec: QuerySpec): unknown[] {
  const slots = compiled.slots
  const out: unknown[] = new Array(slots.length)
  let lambdas: ReturnType<typeof lambdaInputs> | undefined
  for (let n = 0; n < slots.length; n++) {
    const slot = slots[n]!
    switch (slot.from) {
      case 'limit': out[n] = lastLimit(spec)?.limit ?? null; break
      case 'offset': out[n] = lastLimit(spec)?.offset ?? 0; break
      case 'random': out[n] = dialect.toDb(lastRandom(spec), 'int'); break
      case 'const': out[n] = slot.value === null ? null : dialect.toDb(slot.value, slot.type ?? inferType(slot.value)); break
      case 'lambda': {
        lambdas ??= lambdaInputs(spec)
        let value: unknown = lambdas[slot.lambda]?.params
        for (const key of slot.path) value = step(value, key, slot.path)
        if (slot.list !== undefined) {
          out[n] = bindList(dialect, value, slot.type, slot.list, slot.path)
          break
        }
        value = unwrap(value)
        out[n] = value === null || value === undefined ? null : dialect.toDb(value, slot.type ?? inferType(value))
      }
    }
  }
  return out
}
