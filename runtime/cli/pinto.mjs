#!/usr/bin/env node
// The `pinto` command. In a checkout (runtime/cli/cli.ts present) it runs the
// TypeScript sources through tsx; in the published package it runs the
// built dist/runtime/cli/cli.js. A TypeScript config file needs tsx either way.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const source = join(here, 'cli.ts')
const built = join(here, '..', '..', 'dist', 'runtime', 'cli', 'cli.js')
const args = process.argv.slice(2)
const tsConfig = args.some((a) => /\.[cm]?tsx?$/.test(a))

async function registerTsx() {
  try {
    const { register } = await import('tsx/esm/api')
    register()
    return true
  } catch {
    return false
  }
}

const useSource = existsSync(source) && (await registerTsx())
if (!useSource && !existsSync(built)) {
  process.stderr.write('pinto: neither the built CLI (dist/runtime/cli/cli.js, run `npm run build`) nor tsx for the sources was found\n')
  process.exit(1)
}
if (!useSource && tsConfig && !(await registerTsx())) {
  process.stderr.write('pinto: a TypeScript config needs tsx: `npm install --save-dev tsx` (or write the config in JavaScript)\n')
  process.exit(1)
}
const { main } = await import(pathToFileURL(useSource ? source : built).href)
process.exitCode = await main(args)
