/**
 * Function → source text. `fn.toString()` gives the text V8 kept for the
 * function, as a slice of the script's source: cheap to make. It is not
 * cached per function object: a lambda written inline in a query is a new
 * closure on every call, and a WeakMap entry per closure cost ~2 µs, twenty
 * times the `toString` it saved.
 */

/** The source text of a lambda, as `fn.toString()` gives it. */
export function lambdaText(fn: (...args: never[]) => unknown): string {
  return Function.prototype.toString.call(fn)
}
