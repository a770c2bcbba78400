import { remembered } from '../util/remembered';
import type { Quantity } from './workload-props';

// Kubernetes' quantity grammar (k8s.io/apimachinery resource.Quantity), non-negative only.
const QUANTITY = /^(\d+(?:\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;

const DECIMAL_EXPONENT: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXPONENT: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/**
 * A quantity as an exact fraction, so that `350m` equals `0.35` (floating
 * point says it does not).
 */
export interface ExactQuantity {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** True when `q` is a non-negative Kubernetes quantity (`500m`, `2`, `1Gi`, `1e3`). */
export function isQuantity(q: Quantity): boolean {
  return typeof q === 'number' ? Number.isFinite(q) && q >= 0 : QUANTITY.test(q);
}

/** The exact value of a quantity (`1Gi` -> 1073741824/1). */
export function exactQuantity(q: Quantity): ExactQuantity {
  return exactValue(quantityString(q));
}

// A fleet repeats a handful of quantities (500m, 1Gi) on every workload: each is worked out once.
const exactValue = remembered((text: string): ExactQuantity => {
  const match = QUANTITY.exec(text);
  if (!match) throw new Error(`'${text}' is not a Kubernetes quantity`);
  const [whole, fraction = ''] = match[1].split('.');
  const suffix = match[2] ?? '';
  const exponent = (/^[eE][+-]?\d+$/.test(suffix) ? Number(suffix.slice(1)) : DECIMAL_EXPONENT[suffix] ?? 0) - fraction.length;
  const binary = BINARY_EXPONENT[suffix] ?? 0;
  const digits = BigInt(`${whole}${fraction}` || '0') * 2n ** BigInt(binary);
  return Object.freeze(exponent >= 0
    ? { numerator: digits * 10n ** BigInt(exponent), denominator: 1n }
    : { numerator: digits, denominator: 10n ** BigInt(-exponent) });
});

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const x = exactQuantity(a);
  const y = exactQuantity(b);
  const left = x.numerator * y.denominator;
  const right = y.numerator * x.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** True when `a` is a whole multiple of `b` (`4Mi` of `2Mi`, `2` of `1`). */
export function isMultipleOf(a: Quantity, b: Quantity): boolean {
  const x = exactQuantity(a);
  const y = exactQuantity(b);
  return y.numerator !== 0n && (x.numerator * y.denominator) % (y.numerator * x.denominator) === 0n;
}

/** The value of a quantity as a plain number, for messages (`1Gi` -> 1073741824). */
export function quantityValue(q: Quantity): number {
  const { numerator, denominator } = exactQuantity(q);
  return Number(numerator) / Number(denominator);
}

/** A quantity as Kubernetes writes it in YAML: always a string. */
export function quantityString(q: Quantity): string {
  return typeof q === 'number' ? String(q) : q;
}
