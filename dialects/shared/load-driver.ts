/**
 * Loading a driver package on first use. Each `driver.ts` passes its own
 * `() => import('pg')` (so the import stays in the one file that owns the
 * driver); a missing package becomes a MappingError that says what to install.
 */
import { MappingError } from '../../compiler/errors.js'

/** The package's CommonJS export (its `default` under ESM), or a MappingError naming the package. */
export async function loadDriver<T>(pkg: string, provider: string, load: () => Promise<unknown>): Promise<T> {
  try {
    const mod = (await load()) as { readonly default?: T }
    return mod.default ?? (mod as T)
  } catch (error) {
    throw new MappingError(`provider '${provider}' needs the '${pkg}' package: npm install ${pkg}`, { cause: error })
  }
}

/** Options of `db.bind` that pinto consumes; everything else passes through to the driver. */
export const PINTO_OPTIONS: ReadonlySet<string> = new Set([
  'provider', 'filename', 'createDb', 'connectionString', 'uri', 'poolSize', 'acquireTimeoutMs',
])

/** The bind options meant for the driver. */
export function driverOptions(options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([key]) => !PINTO_OPTIONS.has(key)))
}
