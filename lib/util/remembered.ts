/**
 * `compute`, worked out once per distinct argument: a fleet repeats the same
 * label keys, quantities and variable names on every workload. At most `limit`
 * results are kept (then they are all dropped), so that a long-lived process
 * that synthesizes again and again does not grow without end. A call that
 * throws is not remembered.
 */
export function remembered<K, V>(compute: (key: K) => V, limit = 10_000): (key: K) => V {
  const results = new Map<K, V>();
  return (key) => {
    let result = results.get(key);
    if (result === undefined && !results.has(key)) {
      result = compute(key);
      if (results.size >= limit) results.clear();
      results.set(key, result);
    }
    return result as V;
  };
}
