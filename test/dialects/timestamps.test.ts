// parseTimestamp reads the forms drivers return for pinto's columns without its
// regex; on every generated text it must give the same time as the regex parser.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { commonTimestampMs, parseTimestamp, parseTimestampByPattern } from '../../dialects/shared/text-formats.js'
import { rng } from '../support/rng.js'

const random = rng(20240607)
const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1))
const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!
const pad = (n: number, width: number): string => String(n).padStart(width, '0')

function year(): string {
  const y = pick([int(1, 99), int(100, 999), int(1000, 9999), int(1000, 9999), int(10000, 99999), 0])
  return pad(y, 4)
}

function fraction(): string {
  const digits = int(0, 9)
  return digits === 0 ? '' : `.${Array.from({ length: digits }, () => int(0, 9)).join('')}`
}

function zone(): string {
  const sign = pick(['+', '-'])
  return pick(['', '', 'Z', 'z', `${sign}${pad(int(0, 14), 2)}`, `${sign}${pad(int(0, 14), 2)}:${pad(int(0, 59), 2)}`,
    `${sign}${pad(int(0, 14), 2)}${pad(int(0, 59), 2)}`, `${sign}${pad(int(0, 14), 2)}:${pad(int(0, 59), 2)}:${pad(int(0, 59), 2)}`, ' +00', '+0', '+'])
}

/** A timestamp text in one of the forms drivers write, sometimes out of range or bent out of shape. */
function timestampText(): string {
  const inRange = random() < 0.7
  const field = (hi: number, wild: number): string => pad(inRange ? int(0, hi) : int(0, wild), 2)
  const date = `${year()}-${pad(inRange ? int(1, 12) : int(0, 99), 2)}-${pad(inRange ? int(1, 28) : int(0, 99), 2)}`
  const text = `${date}${pick(['T', ' ', 't'])}${field(23, 99)}:${field(59, 99)}:${field(59, 99)}${fraction()}${zone()}${random() < 0.05 ? ' BC' : ''}`
  return random() < 0.1 ? bend(text) : text
}

/** The text with one character changed, dropped or doubled, or whitespace around it. */
function bend(text: string): string {
  const i = int(0, text.length - 1)
  switch (int(0, 3)) {
    case 0: return text.slice(0, i) + pick(['x', '-', ':', '.', '9', ' ']) + text.slice(i + 1)
    case 1: return text.slice(0, i) + text.slice(i + 1)
    case 2: return text.slice(0, i) + text[i] + text.slice(i)
    default: return ` ${text}\n`
  }
}

describe('parseTimestamp', () => {
  it('the fast path reads the common forms as the regex parser does, on 100,000 generated texts', () => {
    let fast = 0
    for (let k = 0; k < 100_000; k++) {
      const text = timestampText()
      const ms = commonTimestampMs(text)
      if (Number.isNaN(ms)) continue
      fast++
      assert.equal(ms, parseTimestampByPattern(text).getTime(), text)
    }
    // the rest fall back to the pattern parser itself; enough must have taken the fast path to mean something
    assert.ok(fast >= 10_000, `only ${fast} texts took the fast path`)
  })

  it('reads each driver form to the millisecond', () => {
    const expected = Date.UTC(2024, 0, 2, 3, 4, 5, 678)
    for (const text of ['2024-01-02T03:04:05.678Z', '2024-01-02 03:04:05.678', '2024-01-02 03:04:05.678+00', '2024-01-02 03:04:05.678912+00:00']) {
      assert.equal(parseTimestamp(text).getTime(), expected, text)
    }
    assert.equal(parseTimestamp('2024-01-02 03:04:05+00').getTime(), Date.UTC(2024, 0, 2, 3, 4, 5))
    assert.equal(parseTimestamp('2024-01-02 03:04:05.6+00').getTime(), Date.UTC(2024, 0, 2, 3, 4, 5, 600))
    assert.equal(parseTimestamp('2024-01-02 03:04:05.678+05:30').toISOString(), '2024-01-01T21:34:05.678Z')
    assert.equal(parseTimestamp('0099-12-31 23:59:59.999').toISOString(), '0099-12-31T23:59:59.999Z')
    assert.equal(parseTimestamp('0100-01-01T00:00:00.000Z').toISOString(), '0100-01-01T00:00:00.000Z')
    assert.equal(parseTimestamp('9999-12-31T23:59:59.999Z').toISOString(), '9999-12-31T23:59:59.999Z')
  })

  it('gives an invalid Date for text that is no timestamp', () => {
    for (const text of ['', 'x', '2024-01-02T03:04:05.Z', '2024-01-02T03:04:05.678Q', '2024-01-02T03:04:0x.678Z']) {
      assert.ok(Number.isNaN(parseTimestamp(text).getTime()), text)
    }
  })
})
