/**
 * `target.push(...items)` without the spread: a spread passes every item as an argument, and an
 * array the input can make long (160,000 answer lines) overflows the call stack.
 */
export function append<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
