/**
 * A seeded generator of lambda expressions over Person, drawn from the
 * construct table of API.md §7: typed (int, num, str, bool) so that every
 * expression is meaningful JavaScript and translatable by pinto. Each
 * expression carries the hazards it contains: the places where pinto
 * deliberately follows the database (README exceptions); a mismatch is
 * excused only by one of its hazards, by name.
 *
 * The generator keeps away from what pinto rejects by design (concatenating
 * a nullable operand, a float turned into text, arithmetic on booleans) and
 * wraps nullable numbers in `?? x` before arithmetic (arithmetic on null
 * gives null: README exception 7, see construct-cases.ts).
 */
import { rng } from '../support/rng.js'

export type Hazard = 'divZero' | 'nullRelational' | 'stringOrder' | 'codePoints' | 'upperSharpS' | 'undefinedVsNull'

export interface Gen {
  readonly src: string
  readonly hazards: ReadonlySet<Hazard>
}

interface E {
  src: string
  hz: Hazard[]
  /** May be null at run time. */
  nullable: boolean
  /** Derived from p.name (the only column holding astral characters and 'ß'). */
  fromName?: boolean
  /** A non-zero literal (safe divisor). */
  nonZero?: boolean
  /** `?.` gives undefined in JavaScript where SQL has null. */
  undef?: boolean
}


/** Params every generated lambda may read as `$.x`. */
export const PARAMS = {
  n1: 7, f1: 2.5, s1: 'Ann', s2: '%_', nul: null,
  d1: new Date('1990-01-31T23:30:00.123Z'), d2: new Date('2000-12-01T00:00:00.000Z'),
  ids: [0, 7, 30, 99], strs: ['Ann', 'ann', null],
} as const

const STR_LITS = ["'Ann'", "'ann'", "''", "' '", "'%'", "'_'", "'!'", "'é'", "'e\\u0301'", "'\\''", "'\\\\'", "'\"'", "'ß'", "'An'", "'nn'", "'x'", "'@x'", "'ÉMILE'", "'\\t'", "'\\u00a0'", "'😀'"]
const LIKE_PATS = ["'A%'", "'%n%'", "'_nn'", "'%\\\\%%'", "'%\\\\_%'", "'a_b!c'", "'%'", "'É%'", "'%x'"]
const INT_LITS = ['0', '1', '2', '3', '7', '17', '30', '-1', '-5', '100']
const FLOAT_LITS = ['0.5', '-2.5', '1.5', '2.25', '0.001', '-0.75', '5.5']

export function generator(seed: number) {
  const rand = rng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const chance = (p: number): boolean => rand() < p
  const e = (src: string, nullable: boolean, hz: Hazard[] = [], extra: Partial<E> = {}): E => ({ src, nullable, hz, ...extra })
  const join = (...xs: E[]): Hazard[] => xs.flatMap((x) => x.hz)

  function intAtom(): E {
    switch (Math.floor(rand() * 8)) {
      case 0: return e('p.age', false)
      case 1: return e('p.name.length', false, ['codePoints'], { fromName: true })
      case 2: return e('p.cars.length', false)
      case 3: return e('count(p.driving)', false)
      case 4: return e('$.n1', false, [], { nonZero: true })
      case 5: return e(`(p.born?.${pick(['getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds'])}() ?? ${pick(INT_LITS)})`, false)
      case 6: return e(`(p.${pick(['nick', 'email'])}?.length ?? ${pick(INT_LITS)})`, false)
      default: { const lit = pick(INT_LITS); return e(lit.startsWith('-') ? `(${lit})` : lit, false, [], { nonZero: lit !== '0' }) }
    }
  }

  function numAtom(): E {
    switch (Math.floor(rand() * 5)) {
      case 0: return e(`(p.score ?? ${pick(FLOAT_LITS)})`, false)
      case 1: return e('sum(p.cars.map((c) => c.price))', false)
      case 2: return e('$.f1', false, [], { nonZero: true })
      case 3: { const lit = pick(FLOAT_LITS); return e(lit.startsWith('-') ? `(${lit})` : lit, false, [], { nonZero: true }) }
      default: return intAtom()
    }
  }

  function int(depth: number): E {
    if (depth <= 0 || chance(0.35)) return intAtom()
    switch (Math.floor(rand() * 9)) {
      case 0: { const a = int(depth - 1), b = int(depth - 1); return e(`(${a.src} ${pick(['+', '-', '*'])} ${b.src})`, false, join(a, b)) }
      case 1: { const a = int(depth - 1); return e(`(-${a.src})`, false, a.hz) }
      case 2: { const a = int(depth - 1); return e(`Math.abs(${a.src})`, false, a.hz) }
      case 3: { const a = int(depth - 1), b = int(depth - 1); return e(`Math.${pick(['min', 'max'])}(${a.src}, ${b.src})`, false, join(a, b)) }
      case 4: { const a = num(depth - 1); return e(`Math.${pick(['floor', 'ceil', 'round', 'trunc'])}(${a.src})`, false, a.hz) }
      case 5: { const s = str(depth - 1); return e(`${s.src}.indexOf(${pick(STR_LITS)})`, false, [...s.hz, 'codePoints'], { fromName: s.fromName ?? false }) }
      case 6: { const s = str(depth - 1); return e(`${s.src}.length`, false, [...s.hz, 'codePoints'], { fromName: s.fromName ?? false }) }
      case 7: { const c = bool(depth - 1), a = int(depth - 1), b = int(depth - 1); return e(`(${c.src} ? ${a.src} : ${b.src})`, false, join(c, a, b)) }
      default: return e(`(max(p.cars.map((c) => c.year)) ?? ${pick(INT_LITS)})`, false)
    }
  }

  function num(depth: number): E {
    if (depth <= 0 || chance(0.3)) return numAtom()
    switch (Math.floor(rand() * 6)) {
      case 0: { const a = num(depth - 1), b = num(depth - 1); return e(`(${a.src} ${pick(['+', '-', '*'])} ${b.src})`, false, join(a, b)) }
      case 1: {
        const a = num(depth - 1), b = num(depth - 1)
        return e(`(${a.src} / ${b.src})`, false, [...join(a, b), ...(b.nonZero === true ? [] : ['divZero' as const])])
      }
      case 2: {
        // Remainder by a literal whose quotients stay well-conditioned: PostgreSQL's a - b*trunc(a/b) is off where a/b rounds to a whole number (README exception 9).
        const a = num(depth - 1)
        if (chance(0.8)) return e(`(${a.src} % ${pick(['2', '3', '4', '7', '0.5', '1.5', '2.5', '(-2)'])})`, false, a.hz)
        const b = int(depth - 1)
        return e(`(${a.src} % ${b.src})`, false, [...join(a, b), ...(b.nonZero === true ? [] : ['divZero' as const])])
      }
      case 3: { const a = num(depth - 1); return e(`Math.abs(${a.src})`, false, a.hz) }
      case 4: { const c = bool(depth - 1), a = num(depth - 1), b = num(depth - 1); return e(`(${c.src} ? ${a.src} : ${b.src})`, false, join(c, a, b)) }
      default: return int(depth - 1)
    }
  }

  function nullableNum(): E {
    return pick([
      e('p.score', true), e('p.born?.getFullYear()', true, [], { undef: true }), e('avg(p.cars.map((c) => c.price))', true),
      e('min(p.cars.map((c) => c.year))', true), e('p.nick?.length', true, [], { undef: true }), e('$.nul', true),
    ])
  }

  function strAtom(): E {
    switch (Math.floor(rand() * 6)) {
      case 0: case 1: return e('p.name', false, [], { fromName: true })
      case 2: return e(`(p.${pick(['nick', 'email'])} ?? ${pick(STR_LITS)})`, false)
      case 3: return e('$.s1', false)
      default: return e(pick(STR_LITS), false)
    }
  }

  function str(depth: number): E {
    if (depth <= 0 || chance(0.35)) return strAtom()
    const s = str(depth - 1)
    const n = (x: string): string => (x.startsWith('-') ? `(${x})` : x)
    const positional = (src: string): E => e(src, false, [...s.hz, 'codePoints'], { fromName: s.fromName ?? false })
    switch (Math.floor(rand() * 10)) {
      case 0: return e(`${s.src}.toLowerCase()`, false, s.hz, { fromName: s.fromName ?? false })
      case 1: return e(`${s.src}.toUpperCase()`, false, [...s.hz, 'upperSharpS'], { fromName: s.fromName ?? false })
      case 2: return e(`${s.src}.trim()`, false, s.hz, { fromName: s.fromName ?? false })
      case 3: return positional(chance(0.5) ? `${s.src}.slice(${n(pick(['0', '1', '2', '-1', '-3']))})` : `${s.src}.slice(${n(pick(['0', '1', '-4']))}, ${n(pick(['2', '3', '-1']))})`)
      case 4: return positional(`${s.src}.substring(${pick(['0', '1', '3'])}, ${pick(['1', '2', '4'])})`)
      case 5: { const t = str(depth - 1); return e(`(${s.src} + ${t.src})`, false, join(s, t), { fromName: (s.fromName ?? false) || (t.fromName ?? false) }) }
      case 6: {
        // An int turned into text: a column, or an expression holding bound numbers (p.age * 2 must print '34', not '34.0').
        const i = chance(0.5) ? pick([e('p.age', false), e('p.cars.length', false), e('count(p.driving)', false)]) : int(depth - 1)
        return e(`\`\${${s.src}}:\${${i.src}}\``, false, join(s, i), { fromName: s.fromName ?? false })
      }
      case 7: return e(`coalesce(p.${pick(['nick', 'email'])}, ${s.src})`, false, s.hz, { fromName: s.fromName ?? false })
      case 8: return e(`concat(${s.src}, p.${pick(['nick', 'email'])}, p.age)`, false, s.hz, { fromName: s.fromName ?? false })
      default: { const c = bool(depth - 1), t = str(depth - 1); return e(`(${c.src} ? ${s.src} : ${t.src})`, false, join(c, s, t), { fromName: (s.fromName ?? false) || (t.fromName ?? false) }) }
    }
  }

  function nullableStr(): E {
    return pick([e('p.nick', true), e('p.email', true), e('$.nul', true), e('$.s2', false)])
  }

  function carPred(): E {
    switch (Math.floor(rand() * 6)) {
      case 0: return e(`c.price ${pick(['>', '<', '>=', '==='])} ${pick(['0', '7.5', '10', '-3.25', '100'])}`, false)
      case 1: { const op = pick(['>', '<', '===', '!==']); return e(`c.year ${op} ${pick(['2000', '1999', '2020'])}`, false, op === '<' || op === '>' ? ['nullRelational'] : []) }
      case 2: return e(`c.make === ${pick(["'VW'", "'BMW'", "'vw'", "'Renault'"])}`, false)
      case 3: return e(`c.model.${pick(['startsWith', 'endsWith', 'includes'])}(${pick(["'o'", "'%'", "'_'", "'Golf'", "'é'"])})`, false)
      case 4: return e('c.driver === p', false)
      default: return e(`c.tags.length ${pick(['>', '==='])} ${pick(['0', '1', '2'])}`, false)
    }
  }

  function bool(depth: number): E {
    if (depth <= 0 || chance(0.2)) {
      switch (Math.floor(rand() * 4)) {
        case 0: return e('p.active', false)
        case 1: return e(`!p.${pick(['nick', 'email', 'score'])}`, false)
        case 2: return e(`p.${pick(['nick', 'email', 'score', 'born'])} ${pick(['===', '!=='])} null`, false)
        default: return e(`p.name.${pick(['startsWith', 'endsWith', 'includes'])}(${pick(STR_LITS)})`, false)
      }
    }
    switch (Math.floor(rand() * 16)) {
      case 0: case 1: {
        const a = num(depth - 1), b = num(depth - 1)
        return e(`${a.src} ${pick(['===', '!==', '<', '<=', '>', '>='])} ${b.src}`, false, join(a, b))
      }
      case 2: {
        const a = nullableNum(), op = pick(['===', '!==', '<', '<=', '>', '>=']), b = chance(0.5) ? numAtom() : nullableNum()
        const eq = op === '===' || op === '!=='
        const undef = eq && b.nullable && (a.undef === true || b.undef === true)
        return e(`${a.src} ${op} ${b.src}`, false, [...join(a, b), ...(eq ? [] : ['nullRelational' as const]), ...(undef ? ['undefinedVsNull' as const] : [])])
      }
      case 3: {
        const a = str(depth - 1), op = pick(['===', '!==', '===', '<', '>=']), b = chance(0.3) ? nullableStr() : str(depth - 1)
        return e(`${a.src} ${op} ${b.src}`, false, [...join(a, b), ...(op === '<' || op === '>=' ? ['stringOrder' as const, ...(b.nullable ? ['nullRelational' as const] : [])] : [])])
      }
      case 4: {
        const a = nullableStr(), b = chance(0.5) ? nullableStr() : str(depth - 1)
        return e(`${a.src} ${pick(['===', '!==', '==', '!='])} ${b.src}`, false, join(a, b))
      }
      case 5: { const s = str(depth - 1); return e(`${s.src}.${pick(['startsWith', 'endsWith', 'includes'])}(${chance(0.8) ? pick(STR_LITS) : pick(['$.s1', '$.s2'])})`, false, s.hz) }
      case 6: { const a = bool(depth - 1); return e(`!(${a.src})`, false, a.hz) }
      case 7: case 8: { const a = bool(depth - 1), b = bool(depth - 1); return e(`(${a.src} ${pick(['&&', '||'])} ${b.src})`, false, join(a, b)) }
      case 9: {
        const x = chance(0.5) ? e('p.score', true) : e('p.age', false)
        const list = Array.from({ length: Math.floor(rand() * 4) }, () => (chance(0.2) ? 'null' : pick([...INT_LITS, ...FLOAT_LITS])))
        return e(`${chance(0.3) ? '!' : ''}[${list.join(', ')}].includes(${x.src})`, false)
      }
      case 10: return chance(0.5) ? e(`${chance(0.3) ? '!' : ''}$.ids.includes(p.age)`, false) : e(`${chance(0.3) ? '!' : ''}$.strs.includes(p.${pick(['name', 'nick'])})`, false)
      case 11: { const a = chance(0.5) ? nullableNum() : num(depth - 1); return e(`between(${a.src}, ${pick(['-1', '0', '2'])}, ${pick(['3', '30', '2000'])})`, false, a.hz) }
      case 12: { const s = chance(0.5) ? pick([e('p.nick', true), e('p.email', true)]) : str(depth - 1); return e(`like(${s.src}, ${pick(LIKE_PATS)})`, false, s.hz) }
      case 13: { const c = carPred(); return e(`p.cars.${pick(['some', 'every'])}((c) => ${c.src})`, false, c.hz) }
      case 14: { const c = carPred(); return e(`${chance(0.3) ? '!' : ''}Car.select((c) => c.owner === p && ${c.src}).exists()`, false, c.hz) }
      default: return e(`p.born ${pick(['>', '<', '>=', '<='])} $.${pick(['d1', 'd2'])}`, false, ['nullRelational'])
    }
  }

  const done = (x: E): Gen => ({ src: x.src, hazards: new Set(x.hz) })
  return {
    predicate: (depth = 3): Gen => done(bool(depth)),
    value: (depth = 3): Gen => {
      const kind = rand()
      return done(kind < 0.35 ? num(depth) : kind < 0.55 ? int(depth) : kind < 0.9 ? str(depth) : bool(depth))
    },
  }
}
