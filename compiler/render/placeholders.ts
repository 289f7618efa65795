/**
 * Placeholders in textual order. The renderer writes each bound value as a
 * marker (`\0<n>\0`) while it assembles text, because function tables may
 * put arguments in any order (`LOCATE(sub, s)`); `finalize` then numbers
 * the markers as they appear and lists the slots in that order, so `?` and
 * `$n` placeholders always match their slots.
 *
 * With numbered placeholders (`$n`), a slot that appears more than once —
 * the same param written the same way, as when a grouped expression is
 * repeated in SELECT, GROUP BY, HAVING and ORDER BY — gets one number and is
 * bound once: PostgreSQL only treats `p.age + $1` in SELECT and in GROUP BY
 * as the same expression when the placeholder is the same. Positional
 * placeholders (`?`) cannot be reused, so there every occurrence is its own
 * slot, bound again with the same value.
 */
import type { ParamSlot } from '../query-spec.js'
import type { SqlFlavor } from '../sql-flavor.js'

/**
 * What makes two occurrences the same bound value: the slot (where the value
 * comes from and the type it is converted for) and how the placeholder is
 * written around it (`cast`). Null for a slot never shared (a constant that
 * is an object: compared by identity would be fragile, and it costs nothing
 * to bind it twice).
 */
function slotKey(slot: ParamSlot, cast: string): string | null {
  switch (slot.from) {
    case 'limit':
    case 'offset':
    case 'random':
      return JSON.stringify([slot.from, cast])
    case 'lambda':
      return JSON.stringify(['lambda', slot.lambda, slot.path, slot.type, slot.list ?? null, cast])
    case 'const': {
      const v = slot.value
      if (v === null) return JSON.stringify(['const', 'null', '', slot.type, cast])
      switch (typeof v) {
        case 'string':
        case 'boolean':
        case 'bigint':
          return JSON.stringify(['const', typeof v, String(v), slot.type, cast])
        case 'number':
          return JSON.stringify(['const', 'number', Object.is(v, -0) ? '-0' : String(v), slot.type, cast])
        default:
          return null
      }
    }
  }
}

export class SlotWriter {
  private readonly pending: { readonly slot: ParamSlot; readonly cast: string }[] = []

  /**
   * A marker standing for `slot` in the text being built; `cast` is the text
   * the caller wraps around it (occurrences are shared only when it is equal).
   */
  marker(slot: ParamSlot, cast = ''): string {
    this.pending.push({ slot, cast })
    return `\u0000${this.pending.length - 1}\u0000`
  }

  /** Replace markers by the flavor's placeholders, in order of appearance. */
  finalize(text: string, flavor: SqlFlavor): { sql: string; slots: ParamSlot[] } {
    const slots: ParamSlot[] = []
    // Only a flavor whose placeholders carry their position (`$1`, `$2`) lets one placeholder stand at several places.
    if (!flavor.caps.numberedParams) {
      const sql = text.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => {
        slots.push(this.pending[Number(i)]!.slot)
        return flavor.placeholder(slots.length)
      })
      return { sql, slots }
    }
    const seen = new Map<string, string>()
    const sql = text.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => {
      const { slot, cast } = this.pending[Number(i)]!
      const key = slotKey(slot, cast)
      const again = key === null ? undefined : seen.get(key)
      if (again !== undefined) return again
      slots.push(slot)
      const placeholder = flavor.placeholder(slots.length)
      if (key !== null) seen.set(key, placeholder)
      return placeholder
    })
    return { sql, slots }
  }
}
