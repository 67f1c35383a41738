// A pure function of a string, remembered per argument. Hot paths compute the same answer for the same few
// strings all day (a client's Host header, its request paths, a request's JSON keys); the arguments are the
// client's to choose, so the memory is bounded: when full it starts again, which costs one recomputation
// per distinct argument and never a wrong answer.

/** `compute`, remembered for at most `max` distinct arguments at a time. */
export function boundedMemo<V>(compute: (key: string) => V, max: number): (key: string) => V {
  const known = new Map<string, V>();
  return (key) => {
    const hit = known.get(key);
    if (hit !== undefined || known.has(key)) return hit as V;
    const value = compute(key);
    if (known.size >= max) known.clear();
    known.set(key, value);
    return value;
  };
}
