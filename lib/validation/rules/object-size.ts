import { type Finding, recordAt } from '../manifest';
import { catalogued, type Rule } from '../rule';

/**
 * The largest object the API server can store: etcd refuses a request over
 * its default --max-request-bytes, 1.5 MiB.
 */
export const MAX_OBJECT_BYTES = 1_572_864;

/** The API server's limit on an object's annotations, keys and values together (256 KiB). */
export const MAX_ANNOTATION_BYTES = 262_144;

/**
 * At least the size of `value` serialized as JSON, in UTF-8 bytes, and
 * usually several times it: every string counted as if each of its UTF-16
 * units were escaped as `\uXXXX`. Walks without recursion (no stack overflow
 * on deep input) and stops once the bound passes `limit`.
 */
function jsonSizeBound(value: unknown, limit: number): number {
  let bound = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && bound <= limit) {
    const next = pending.pop();
    if (typeof next === 'string') {
      bound += 6 * next.length + 3;
    } else if (Array.isArray(next)) {
      bound += 2;
      for (const item of next) {
        pending.push(item);
        // A comma each, counted again: the bound only grows, and a huge list stops early.
        if (++bound > limit) break;
      }
    } else if (next !== null && typeof next === 'object') {
      bound += 2;
      for (const key in next) {
        bound += 6 * key.length + 4;
        pending.push((next as Record<string, unknown>)[key]);
        if (bound > limit) break;
      }
    } else {
      // A number, boolean or null: at most 24 characters and a comma.
      bound += 25;
    }
  }
  return bound;
}

/** The size of `value` as JSON in UTF-8 bytes, or undefined when it cannot be serialized. */
export function jsonSize(value: unknown): number | undefined {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  } catch {
    return undefined;
  }
}

function annotationBytes(annotations: Record<string, unknown>): number {
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) total += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  return total;
}

// Not toLocaleString: its first call loads the locale data, ~25 ms of every run's start-up.
const bytes = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

export const K8S_OBJECT_SIZE: Rule = {
  ...catalogued('K8S-OBJECT-SIZE'),
  rationale: `The API server cannot store an object over 1.5 MiB (${bytes(MAX_OBJECT_BYTES)} bytes, etcd's default --max-request-bytes) or with more than 256 KiB of annotations, and the whole sync fails.`,
  fix: 'Keep large data out of the object: mount big files from a volume or bake them into the image, pass long argument lists as a mounted file, split a large ConfigMap or Secret into several.',
  kubeLinter: '-',
  polaris: '-',
  check({ object }) {
    // Nearly every object is far below both limits even counted generously: only the rest is measured.
    const bound = jsonSizeBound(object, MAX_OBJECT_BYTES);
    if (bound <= MAX_ANNOTATION_BYTES) return [];
    const findings: Finding[] = [];
    const size = bound > MAX_OBJECT_BYTES ? jsonSize(object) : 0;
    if (size === undefined || size > MAX_OBJECT_BYTES) {
      findings.push({
        path: [],
        message: size === undefined
          ? 'the object cannot be serialized as JSON (does a YAML alias refer to itself?)'
          : `the object is ${bytes(size)} bytes as JSON, over the ${bytes(MAX_OBJECT_BYTES)} bytes (1.5 MiB) the API server can store`,
      });
    }
    const annotations = annotationBytes(recordAt(object, ['metadata', 'annotations']));
    if (annotations > MAX_ANNOTATION_BYTES) {
      findings.push({ path: ['metadata', 'annotations'], message: `the annotations are ${bytes(annotations)} bytes, over the ${bytes(MAX_ANNOTATION_BYTES)} bytes (256 KiB) the API server allows` });
    }
    return findings;
  },
};
