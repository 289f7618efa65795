/**
 * The translation cache key of a query: its sources, each op (with its
 * lambda's source text, interned to a small number, and the shape of its
 * params), the terminal and the flavor. Two specs with the same key compile
 * to the same SQL and slots; only bound values differ.
 */
import { lambdaText } from './parse/lambda-source.js'
import type { LambdaInput, QuerySpec } from './query-spec.js'
import { describeParamsShape } from './translate/param-shape.js'

/**
 * Lambda texts by a small number, for short keys. Bounded: past MAX_TEXTS the
 * table starts again, and numbers are never reused (a counter, not the table
 * size), so a key built before the reset can never name another text; its
 * cache entry simply ages out.
 */
const textIds = new Map<string, number>()
const MAX_TEXTS = 10_000
let nextTextId = 1

function textId(text: string): number {
  let id = textIds.get(text)
  if (id === undefined) {
    if (textIds.size >= MAX_TEXTS) textIds.clear()
    id = nextTextId++
    textIds.set(text, id)
  }
  return id
}

function lambdaKey(l: LambdaInput): string {
  return `#${textId(lambdaText(l.fn))}${l.params === undefined ? '' : describeParamsShape(l.params)}`
}

export function specKey(spec: QuerySpec, flavorName: string): string {
  let key = `${flavorName}|${spec.sources.join(',')}`
  for (const op of spec.ops) {
    switch (op.op) {
      case 'filter': case 'where': case 'map': case 'orderBy': key += `|${op.op}${lambdaKey(op.lambda)}`; break
      case 'mapAttr': key += `|a${op.attr}`; break
      case 'defaultOrder': key += '|d'; break
      case 'distinct': key += `|u${op.distinct ? 1 : 0}`; break
      case 'limit': key += `|l${op.limit === null ? 'n' : 'y'}${op.offset > 0 ? 'o' : ''}`; break
      case 'forUpdate': key += `|f${op.nowait ? 'n' : ''}${op.skipLocked ? 's' : ''}`; break
      case 'random': key += '|r'; break
      case 'joinLoad': key += `|j${op.path.join('.')}`; break
    }
  }
  const t = spec.terminal
  key += `|=${t.kind}`
  if (t.kind === 'aggregate') key += `${t.fn}${t.lambda === null ? '' : lambdaKey(t.lambda)}`
  if (t.kind === 'update') key += lambdaKey(t.lambda)
  return key
}
