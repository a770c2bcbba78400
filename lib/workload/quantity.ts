import type { Quantity } from './workload-props';

// Kubernetes' quantity grammar (k8s.io/apimachinery resource.Quantity), non-negative only.
const QUANTITY = /^(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;

const SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1,
  k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** True when `q` is a non-negative Kubernetes quantity (`500m`, `2`, `1Gi`, `1e3`). */
export function isQuantity(q: Quantity): boolean {
  return typeof q === 'number' ? Number.isFinite(q) && q >= 0 : QUANTITY.test(q);
}

/** The value of a quantity as a plain number, for comparisons (`1Gi` -> 1073741824). */
export function quantityValue(q: Quantity): number {
  if (typeof q === 'number') return q;
  const match = QUANTITY.exec(q);
  if (!match) throw new Error(`'${q}' is not a Kubernetes quantity`);
  const suffix = match[3] ?? '';
  const number = Number(match[1]);
  return /^[eE][+-]?\d+$/.test(suffix) ? number * 10 ** Number(suffix.slice(1)) : number * SUFFIX[suffix];
}

/** A quantity as Kubernetes writes it in YAML: always a string. */
export function quantityString(q: Quantity): string {
  return typeof q === 'number' ? String(q) : q;
}
