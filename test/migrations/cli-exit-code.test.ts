// The CLI's exit code for a refused plan does not depend on `instanceof`: a
// refusal made by a second copy of pinto's migration module (as when the CLI
// comes from one installed copy and the config's Database from another)
// still exits 2; any other error exits 1.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { DataLossRefused, MigrationRefused } from '../../runtime/migrations/apply.js'
import { exitCodeOf } from '../../runtime/cli/exit-code.js'
import { MappingError } from '../../compiler/errors.js'

/** The migration module loaded a second time, under another URL: its classes are other classes. */
async function secondCopy(): Promise<typeof import('../../runtime/migrations/apply.js')> {
  const url = new URL('../../runtime/migrations/apply.ts?second-copy', import.meta.url).href
  return (await import(url)) as typeof import('../../runtime/migrations/apply.js')
}

it('a refusal from another copy of pinto exits 2, like one from this copy', async () => {
  const other = await secondCopy()
  assert.notEqual(other.MigrationRefused, MigrationRefused, 'the second copy defines its own class')
  const blocked = new other.MigrationRefused("migration 'm' cannot run", ['column person.score is required'])
  const lossy = new other.DataLossRefused("migration 'm' would lose data", [])
  assert.ok(!(blocked instanceof MigrationRefused) && !(lossy instanceof MigrationRefused))
  assert.equal(exitCodeOf(blocked), 2)
  assert.equal(exitCodeOf(lossy), 2)
  assert.equal(exitCodeOf(new MigrationRefused('refused', [])), 2)
  assert.equal(exitCodeOf(new DataLossRefused('refused', [])), 2)
})

it('any other error exits 1, whatever it is called', () => {
  class MigrationRefusedLookalike extends MappingError {}
  Object.defineProperty(MigrationRefusedLookalike, 'name', { value: 'MigrationRefused' })
  assert.equal(exitCodeOf(new MigrationRefusedLookalike('not a refusal')), 1)
  assert.equal(exitCodeOf(new MappingError('bad model')), 1)
  assert.equal(exitCodeOf(new Error('connection refused')), 1)
  assert.equal(exitCodeOf('a string'), 1)
  assert.equal(exitCodeOf(null), 1)
})
