/**
 * Error messages that quote the lambda. Every TranslationError about a
 * lambda shows the line of its source that holds the offending part, a caret
 * line under that part, and what to write instead:
 *
 *     Unknown name 'minAge' in a lambda.
 *       p => p.age > minAge
 *                    ^^^^^^
 *     Pass it in the params object: Person.select(p => p.age > minAge, { minAge })
 *
 * Positions come from the parser; `offset` is what the parser added in front
 * of the text (the wrapping parenthesis).
 */
import { TranslationError } from './errors.js'

/** A lambda's text and the shift between parser positions and text positions. */
export interface SourceRef {
  readonly text: string
  readonly offset: number
}

export interface Span {
  readonly start: number
  readonly end: number
}

const WINDOW = 100

/** The quoted source line with a caret line under `[start, end)` (text positions). */
export function caretBlock(text: string, start: number, end: number): string {
  const from = Math.max(0, Math.min(start, text.length))
  const lineStart = text.lastIndexOf('\n', from - 1) + 1
  const nl = text.indexOf('\n', from)
  const lineEnd = nl < 0 ? text.length : nl
  let line = text.slice(lineStart, lineEnd)
  let col = from - lineStart
  let width = Math.max(1, Math.min(end, lineEnd) - from)
  if (line.length > WINDOW) {
    const cut = Math.max(0, Math.min(col - 30, line.length - WINDOW))
    const head = cut > 0 ? '…' : ''
    const tail = cut + WINDOW < line.length ? '…' : ''
    line = head + line.slice(cut, cut + WINDOW) + tail
    col = col - cut + head.length
    width = Math.max(1, Math.min(width, WINDOW - (col - head.length)))
  }
  const visible = line.replace(/\t/g, ' ')
  return `  ${visible}\n  ${' '.repeat(col)}${'^'.repeat(width)}`
}

/** A TranslationError quoting `span` of the lambda `src`, with an optional hint line. */
export function lambdaError(src: SourceRef, span: Span | null, message: string, hint?: string): TranslationError {
  const parts = [message]
  if (span !== null) parts.push(caretBlock(src.text, span.start - src.offset, span.end - src.offset))
  else parts.push(`  ${src.text.split('\n')[0] ?? ''}`)
  if (hint !== undefined) parts.push(hint)
  return new TranslationError(parts.join('\n'))
}

/** Shorten a lambda's text for use inside a hint. */
export function shortText(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`
}
