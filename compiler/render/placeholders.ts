/**
 * Placeholders in textual order. The renderer writes each bound value as a
 * marker (`\0<n>\0`) while it assembles text, because function tables may
 * put arguments in any order (`LOCATE(sub, s)`); `finalize` then numbers
 * the markers as they appear and lists the slots in that order, so `?` and
 * `$n` placeholders always match their slots.
 */
import type { ParamSlot } from '../query-spec.js'
import type { SqlFlavor } from '../sql-flavor.js'

export class SlotWriter {
  private readonly pending: ParamSlot[] = []

  /** A marker standing for `slot` in the text being built. */
  marker(slot: ParamSlot): string {
    this.pending.push(slot)
    return `\u0000${this.pending.length - 1}\u0000`
  }

  /** Replace markers by the flavor's placeholders, in order of appearance. */
  finalize(text: string, flavor: SqlFlavor): { sql: string; slots: ParamSlot[] } {
    const slots: ParamSlot[] = []
    const sql = text.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => {
      slots.push(this.pending[Number(i)]!)
      return flavor.placeholder(slots.length)
    })
    return { sql, slots }
  }
}
