/**
 * Result parsers for one pg pool, never touching pg's global `types`: int8
 * and numeric stay strings (exact; `fromDb` makes bigints and canonical
 * decimals), timestamps are parsed here as UTC whatever the column kind
 * (node-postgres reads `timestamp` as local time), `date` stays 'YYYY-MM-DD',
 * json/jsonb stay text so that `fromDb` parses every JSON value the same way
 * on every dialect. Other types use pg's default parsers.
 */
import { parseTimestamp } from '../shared/text-formats.js'

export interface TypeParserSource {
  getTypeParser(oid: number, format?: string): unknown
}

const identity = (text: string): string => text

/** OIDs of the built-in types read differently from pg's defaults. */
export const OIDS = { int8: 20, json: 114, date: 1082, timestamp: 1114, timestamptz: 1184, numeric: 1700, jsonb: 3802 } as const

const OVERRIDES: ReadonlyMap<number, (text: string) => unknown> = new Map<number, (text: string) => unknown>([
  [OIDS.int8, identity],
  [OIDS.numeric, identity],
  [OIDS.date, identity],
  [OIDS.json, identity],
  [OIDS.jsonb, identity],
  [OIDS.timestamp, parseTimestamp],
  [OIDS.timestamptz, parseTimestamp],
])

/** A `types` object for a pg Client: our overrides for text format, pg's defaults otherwise. */
export function pinnedTypes(defaults: TypeParserSource): TypeParserSource {
  return {
    getTypeParser(oid: number, format?: string): unknown {
      if (format === undefined || format === 'text') {
        const parser = OVERRIDES.get(oid)
        if (parser !== undefined) return parser
      }
      return defaults.getTypeParser(oid, format)
    },
  }
}
