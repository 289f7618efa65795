/**
 * String concatenation: `a + b` where one side is a string, and template
 * literals. JavaScript turns null into 'null' and SQL turns the whole result
 * into NULL, so a nullable part is refused with the `?? ''` fix (#17); a
 * double would print differently in each database, so floats are refused
 * too (#23); integers are converted to text.
 */
import type { Node } from '../parse/estree.js'
import { fail, type TCtx } from './context.js'
import { node, type Expr } from './ir.js'
import { isText } from './types.js'

export interface Part {
  readonly expr: Expr
  readonly at: Node
}

function asTextPart(ctx: TCtx, p: Part, template: boolean): Expr[] {
  const e = p.expr
  if (e.kind === 'concat') return [...e.parts]
  if (e.nullable) {
    const what = template ? 'A template literal part' : 'A string concatenation operand'
    throw fail(ctx, p.at, `${what} can be null here; JavaScript would insert 'null' and SQL would make the whole text null (SEMANTICS #17).`, "Say what null should become, e.g. (x ?? '').")
  }
  if (e.kind === 'const' && (typeof e.value === 'number' || typeof e.value === 'bigint')) {
    return [node({ kind: 'const', type: 'string', nullable: false, value: String(e.value) })]
  }
  if (isText(e.type) || e.type === 'decimal') return [e]
  if (e.type === 'int' || e.type === 'bigint' || e.type === 'unknown' || e.type === 'json') {
    return [node({ kind: 'toText', type: 'string', nullable: false, arg: e })]
  }
  if (e.type === 'number') {
    throw fail(ctx, p.at, 'A floating-point number cannot be converted to text in a query: each database prints it differently (SEMANTICS #23).', 'Format it in JavaScript after loading, or use an Int attribute.')
  }
  throw fail(ctx, p.at, `A ${e.type} value cannot be concatenated to text in a query.`, 'Convert it in JavaScript after loading.')
}

/** Concatenate parts into one text expression. */
export function concatParts(ctx: TCtx, parts: readonly Part[], template: boolean): Expr {
  const out: Expr[] = []
  for (const p of parts) out.push(...asTextPart(ctx, p, template))
  if (out.length === 1 && isText(out[0]!.type)) return out[0]!
  return node({ kind: 'concat', type: 'string', nullable: false, parts: out })
}
