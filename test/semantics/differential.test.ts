/**
 * Randomized differential test: thousands of predicates and projections
 * generated from the construct table (generate.ts, fixed seed), run by pinto
 * on every database and as plain JavaScript over the same rows (world.ts),
 * results compared row by row. Several expressions go into one query
 * (`map(p => [e1, e2, …])`); a query that fails is retried one expression at
 * a time to name the culprit. Predicates also run one by one as `select`
 * filters (WHERE). A mismatch is excused only by a hazard of its expression
 * that is listed below, by name and reason, and the excused ones are
 * counted and printed; everything else fails the test.
 * Rerun with another seed: SEMANTICS_SEED=<n>.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { ProviderName } from '../../dialects/dialect.js'
import { avg, between, coalesce, concat, count, dbSession, exists, like, max, min, sum } from '../../runtime/index.js'
import { eachTarget } from '../support/databases.js'
import { PARAMS, generator, type Gen, type Hazard } from './generate.js'
import { canon, memoryEntity, useWorld, type Oracle, type Row } from './world.js'

const SEED = Number(process.env.SEMANTICS_SEED ?? 20251120)
const MAPPED = 3000
const VALUES = 1500
const FILTERS = 400
const BATCH = 25

/**
 * Why a mismatch may be excused, by hazard name. `rows`: only on these rows
 * (by dataset key) unless the expression itself carries the hazard's text.
 */
const EXCUSES: Readonly<Record<Hazard, { reason: string; providers?: readonly ProviderName[]; rows?: readonly string[]; literal?: string }>> = {
  divZero: { reason: 'README exception 1: division (and remainder) by zero gives null on every database; JavaScript gives Infinity or NaN' },
  nullRelational: { reason: 'README exception 4: a relational comparison with null is false; JavaScript converts null to 0 (and null to 0 in Date comparisons)' },
  stringOrder: { reason: 'README exception 3: <, > and ORDER BY on strings follow the database collation; JavaScript compares UTF-16 code units' },
  codePoints: { reason: 'README exception 5: length and positions count code points; JavaScript counts UTF-16 code units (astral characters)', rows: ['emoji'], literal: '😀' },
  upperSharpS: { reason: "README exception 6: toUpperCase/toLowerCase use the database's simple case mapping on PostgreSQL and MariaDB: 'ß'.toUpperCase() is 'SS' in JavaScript and on SQLite, 'ß' there", providers: ['postgres', 'mysql'], rows: ['accents'], literal: 'ß' },
  undefinedVsNull: { reason: 'README exception 8: optional chaining gives null, not undefined: `p.born?.getFullYear()` is undefined in JavaScript and undefined !== null, while pinto has only null, so null === (null from ?.) is true' },
}

/** Errors that are expected by design, by name; every other error fails the test. */
const KNOWN_ERRORS: readonly { name: string; pattern: RegExp; reason: string }[] = [
  { name: 'floatToText', pattern: /A floating-point number cannot be converted to text in a query/, reason: 'SEMANTICS #23 (reject by design): a float, or a number param whose kind the compiler cannot know, is not turned into text; the message says so' },
  { name: 'nullableTemplatePart', pattern: /A template literal part can be null here/, reason: 'SEMANTICS #17 (reject by design) with README exception 1: a division may give null (by zero), and a nullable part of a template is refused' },
  { name: 'constDivZero', pattern: /^TranslationError: Math\.\w+ needs numbers, found a null/, reason: 'README exception 1: a constant division by zero folds to null, and Math.* of a null constant is rejected' },
]

// The lambdas' free names, as the oracle sees them; pinto reads them by name.
const Car = memoryEntity(() => current().cars)
let currentOracle: Oracle | undefined
const current = (): Oracle => currentOracle!
const HELPERS = { avg, between, coalesce, concat, count, exists, like, max, min, sum, Car }

function compile(src: string): (p: Row, $: Row) => unknown {
  // A function whose source text is the generated lambda: pinto parses its text; the oracle calls it.
  return new Function(...Object.keys(HELPERS), `return (p, $) => ${src}`)(...Object.values(HELPERS)) as (p: Row, $: Row) => unknown
}

function batchLambda(gens: readonly Gen[]): (p: Row, $: Row) => unknown {
  return new Function(...Object.keys(HELPERS), `return (p, $) => [${gens.map((g) => g.src).join(', ')}]`)(...Object.values(HELPERS)) as (p: Row, $: Row) => unknown
}

interface Mismatch { src: string; row: string; got: unknown; want: unknown; hazards: Hazard[] }

function excuse(provider: ProviderName, gen: Gen, rowKey: string): Hazard | null {
  for (const h of gen.hazards) {
    const x = EXCUSES[h]
    if (x.providers !== undefined && !x.providers.includes(provider)) continue
    if (x.rows !== undefined && !x.rows.includes(rowKey) && !(x.literal !== undefined && gen.src.includes(x.literal))) continue
    return h
  }
  return null
}

/** What the oracle gives for a generated expression on each person (by id order). */
function oracleValues(oracle: Oracle, gen: Gen, fn: (p: Row, $: Row) => unknown, asBool: boolean): unknown[] {
  return oracle.people.map((p) => {
    try {
      const v = fn(p, PARAMS)
      return asBool ? Boolean(v) : canon(v)
    } catch (error) {
      throw new Error(`the oracle cannot run ${gen.src}: ${String(error)} (a generator bug)`)
    }
  })
}

const isBoolLike = (v: unknown): boolean => v === true || v === false || v === 0 || v === 1 || v === null

eachTarget('sem_differential', (target) => {
  const { model, oracle } = useWorld(target)
  const gen = generator(SEED)
  // Generated once per database from the same seed: every database gets the same cases.
  const predicates = Array.from({ length: MAPPED }, () => gen.predicate())
  const values = Array.from({ length: VALUES }, () => gen.value())
  const filters = Array.from({ length: FILTERS }, () => gen.predicate())

  it(`seed ${SEED}: ${MAPPED} predicates and ${VALUES} projections in map, ${FILTERS} predicates as filters`, async () => {
    const world = oracle()
    currentOracle = world
    world.people.sort((a, b) => a.id - b.id)
    const Person = model.Person as unknown as { select(fn?: unknown, params?: unknown): Row }
    const mismatches: Mismatch[] = []
    const excused = new Map<Hazard, number>()
    const errors: string[] = []
    let checked = 0

    const knownErrors = new Map<string, number>()
    const fail = (g: Gen, error: unknown): void => {
      const message = String(error).split('\n')[0]!
      const known = KNOWN_ERRORS.find((k) => k.pattern.test(message))
      if (known !== undefined) knownErrors.set(known.name, (knownErrors.get(known.name) ?? 0) + 1)
      else errors.push(`${g.src}\n    ${message}`)
    }

    const compare = (g: Gen, rowIndex: number, got: unknown, want: unknown): void => {
      checked++
      if (JSON.stringify(got) === JSON.stringify(want)) return
      const row = world.people[rowIndex]!
      const h = excuse(target.provider, g, row.key)
      if (h !== null) excused.set(h, (excused.get(h) ?? 0) + 1)
      else mismatches.push({ src: g.src, row: row.key, got, want, hazards: [...g.hazards] })
    }

    const runMapped = async (gens: readonly Gen[], asBool: boolean): Promise<void> => {
      for (let i = 0; i < gens.length; i += BATCH) {
        const batch = gens.slice(i, i + BATCH)
        let rows: unknown[][]
        try {
          rows = await dbSession.run(() => Person.select().orderBy((p: Row) => p.id).map(batchLambda(batch), PARAMS).fetch())
        } catch (batchError) {
          // Name the expression that fails: one query each.
          const before = errors.length + [...knownErrors.values()].reduce((a, b) => a + b, 0)
          for (const g of batch) {
            try {
              const one: unknown[] = await dbSession.run(() => Person.select().orderBy((p: Row) => p.id).map(compile(g.src), PARAMS).fetch())
              assert.equal(one.length, world.people.length)
              const want = oracleValues(world, g, compile(g.src), asBool)
              one.forEach((v, r) => compare(g, r, asBool && isBoolLike(v) ? Boolean(v) : canon(v), want[r]))
            } catch (error) {
              fail(g, error)
            }
          }
          // a batch that failed while each of its expressions ran alone is a bug of their combination
          if (errors.length + [...knownErrors.values()].reduce((a, b) => a + b, 0) === before) {
            errors.push(`a batch of ${batch.length} failed though each ran alone: ${String(batchError).split('\n')[0]}`)
          }
          continue
        }
        assert.equal(rows.length, world.people.length)
        batch.forEach((g, j) => {
          const want = oracleValues(world, g, compile(g.src), asBool)
          rows.forEach((row, r) => {
            const v = row[j]
            compare(g, r, asBool && isBoolLike(v) ? Boolean(v) : canon(v), want[r])
          })
        })
      }
    }

    await runMapped(predicates, true)
    await runMapped(values, false)

    await dbSession.run(async () => {
      for (const g of filters) {
        const fn = compile(g.src)
        let got: number[]
        try {
          got = ((await Person.select(fn, PARAMS).fetch()) as Row[]).map((p) => p.id as number)
        } catch (error) {
          fail(g, error)
          continue
        }
        const want = oracleValues(world, g, fn, true)
        world.people.forEach((p, r) => compare(g, r, got.includes(p.id), want[r]))
      }
    })

    const summary = [...excused].map(([h, n]) => `${h}: ${n}`).join(', ')
    process.stdout.write(`# ${target.provider}: seed ${SEED}, ${MAPPED + VALUES + FILTERS} expressions, ${checked} row comparisons, ${mismatches.length} mismatches, ${errors.length} errors; excused by name: ${summary || 'none'}; known errors: ${[...knownErrors].map(([k, n]) => `${k}: ${n}`).join(', ') || 'none'}\n`)
    if (process.env.SEMANTICS_VERBOSE === '1') {
      for (const e of errors) process.stderr.write(`${target.provider} ERROR ${e}\n`)
      for (const m of mismatches) process.stderr.write(`${target.provider} MISMATCH ${m.src}\n    row ${m.row}: database ${JSON.stringify(m.got)}, JavaScript ${JSON.stringify(m.want)} [${m.hazards.join(', ')}]\n`)
    }
    const show = (xs: Mismatch[]): string => xs.slice(0, 15).map((m) => `  ${m.src}\n    row ${m.row}: database ${JSON.stringify(m.got)}, JavaScript ${JSON.stringify(m.want)} [hazards: ${m.hazards.join(', ') || 'none'}]`).join('\n')
    assert.deepEqual(errors.slice(0, 15), [], `${errors.length} expressions failed to run`)
    // the run compared what it generated: at least 90% of the expression × row comparisons were made
    const possible = (MAPPED + VALUES + FILTERS) * world.people.length
    assert.ok(checked >= 0.9 * possible, `only ${checked} of ${possible} comparisons were made`)
    assert.equal(mismatches.length, 0, `${mismatches.length} unexcused mismatches (first 15):\n${show(mismatches)}`)
  })
})
