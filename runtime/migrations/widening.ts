/**
 * Whether a type change keeps every value: a longer VARCHAR, a wider
 * integer, more digits in a DECIMAL, TEXT from VARCHAR, more fractional
 * seconds. It reads normalised type text of any dialect (`character
 * varying(50)`, `varchar(50)`, `VARCHAR(50)`); whatever it does not know is
 * treated as narrowing, which only means a migration asks before running it.
 */

const INT_RANK: Record<string, number> = { tinyint: 0, smallint: 1, mediumint: 2, int: 3, integer: 3, bigint: 4 }
const TEXT_RANK: Record<string, number> = { tinytext: 1, text: 2, mediumtext: 3, longtext: 4 }
const VARCHAR = new Set(['varchar', 'character varying', 'char', 'character', 'nvarchar'])
const BLOBS: Record<string, number> = { varbinary: 0, tinyblob: 1, blob: 2, mediumblob: 3, longblob: 4, bytea: 4 }
const FLOATS: Record<string, number> = { real: 1, float: 1, float4: 1, double: 2, 'double precision': 2, float8: 2 }

interface ParsedType {
  readonly base: string
  readonly args: readonly number[]
  readonly suffix: string
}

function parse(type: string): ParsedType {
  const m = /^([a-z0-9_ ]+)(?:\(([0-9, ]+)\))?\s*(.*)$/.exec(type.toLowerCase().trim())
  if (m === null) return { base: type.toLowerCase(), args: [], suffix: '' }
  return { base: m[1]!.trim(), args: (m[2] ?? '').split(',').filter((a) => a.trim() !== '').map(Number), suffix: m[3] ?? '' }
}

/** True when every value of `from` fits `to` unchanged. */
export function isWidening(from: string, to: string): boolean {
  const a = parse(from)
  const b = parse(to)
  if (a.base in INT_RANK && b.base in INT_RANK) return INT_RANK[b.base]! >= INT_RANK[a.base]! && !(a.args[0] === 1 && a.base === 'tinyint' && b.base !== 'tinyint')
  if (VARCHAR.has(a.base) && VARCHAR.has(b.base)) return (b.args[0] ?? Infinity) >= (a.args[0] ?? Infinity)
  if (VARCHAR.has(a.base) && b.base in TEXT_RANK) return true
  if (a.base in TEXT_RANK && b.base in TEXT_RANK) return TEXT_RANK[b.base]! >= TEXT_RANK[a.base]!
  if (a.base in BLOBS && b.base in BLOBS) return BLOBS[b.base]! > BLOBS[a.base]! || (a.base === b.base && (b.args[0] ?? 0) >= (a.args[0] ?? 0))
  if (a.base in FLOATS && b.base in FLOATS) return FLOATS[b.base]! >= FLOATS[a.base]!
  if ((a.base === 'numeric' || a.base === 'decimal') && a.base === b.base) {
    const [ap = 30, as = 0] = a.args
    const [bp = 30, bs = 0] = b.args
    return bs >= as && bp - bs >= ap - as
  }
  if (a.base === b.base && a.suffix === b.suffix) return (b.args[0] ?? 0) >= (a.args[0] ?? 0)
  return false
}
