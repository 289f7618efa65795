/**
 * Function → source text. `fn.toString()` gives the text V8 kept for the
 * function; it is read once per function object (a WeakMap), so a cache
 * lookup for a lambda that runs again costs one WeakMap hit.
 */

const texts = new WeakMap<object, string>()

/** The source text of a lambda, as `fn.toString()` gives it, cached per function object. */
export function lambdaText(fn: (...args: never[]) => unknown): string {
  let text = texts.get(fn)
  if (text === undefined) {
    text = Function.prototype.toString.call(fn)
    texts.set(fn, text)
  }
  return text
}
