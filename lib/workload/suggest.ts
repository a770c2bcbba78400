import { closest, distance } from 'fastest-levenshtein';

/** The candidate `word` was most likely meant to be, or undefined when none is close. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const match = closest(word, [...candidates]);
  return distance(word.toLowerCase(), match.toLowerCase()) <= Math.max(2, Math.floor(word.length / 3)) ? match : undefined;
}
