import { closest, distance } from 'fastest-levenshtein';

/** The candidate `word` was most likely meant to be, or undefined when none is close. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const others = candidates.filter((c) => c !== word);
  if (others.length === 0) return undefined;
  const lower = word.toLowerCase();
  const match = closest(lower, others.map((c) => c.toLowerCase()));
  return distance(lower, match) <= Math.max(2, Math.floor(word.length / 3)) ? others.find((c) => c.toLowerCase() === match) : undefined;
}
