import { formatPath, type PropPath } from '../core/errors';

/** A Kubernetes object as plain JSON, as synthesized or read from YAML. */
export interface K8sObject {
  /** `apps/v1`, `v1`, ...: unknown until checked, since any YAML can be given. @default - missing: the schema check reports it */
  readonly apiVersion?: unknown;
  /** `Deployment`, `Service`, ... @default - missing: the schema check reports it */
  readonly kind?: unknown;
  /** Name, namespace, labels and annotations. @default - missing: the schema check reports it */
  readonly metadata?: {
    readonly name?: unknown;
    readonly namespace?: unknown;
    readonly labels?: unknown;
    readonly annotations?: unknown;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** One object to check, and where it came from. */
export interface Manifest {
  readonly object: K8sObject;
  /** The file it came from: a workload file during synth, a manifest file for `validate`. */
  readonly source: string;
  /** 1-based line of the object in `source`, when known. @default - unknown: reports name the source alone */
  readonly line?: number;
  /** The environment it was built for, when synth builds environments. @default - none */
  readonly environment?: string;
}

/** What a rule found wrong with one object. */
export interface Finding {
  /** The field, e.g. `['spec', 'template', 'spec', 'containers', 0, 'image']`. */
  readonly path: PropPath;
  /** What is wrong, with the values involved. */
  readonly message: string;
}

/**
 * A value as a message shows it: strings and numbers as they are, anything
 * else as JSON. Never throws, whatever a manifest holds (a map with a
 * `toString` key breaks String()).
 */
export function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return `${value}`;
  try {
    return JSON.stringify(value);
  } catch {
    return '(unprintable value)';
  }
}

/** `Deployment ml-serving/fraud-detector`, or `Deployment fraud-detector` without a namespace. */
export function describeObject(object: K8sObject): string {
  const kind = typeof object.kind === 'string' ? object.kind : '(no kind)';
  const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '(no name)';
  const namespace = typeof object.metadata?.namespace === 'string' ? `${object.metadata.namespace}/` : '';
  return `${kind} ${namespace}${name}`;
}

/** True for a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A field path as the report shows it: `spec.template.spec.containers[0].image`. */
export function fieldPath(path: PropPath): string {
  return formatPath(path) || '(whole object)';
}

/** The value at `path` inside `value`, or undefined. */
export function at(value: unknown, path: PropPath): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** A string-keyed record at `path`, or an empty one. */
export function recordAt(value: unknown, path: PropPath): Record<string, unknown> {
  const found = at(value, path);
  return isRecord(found) ? found : {};
}

/** An array at `path`, or an empty one. */
export function listAt(value: unknown, path: PropPath): unknown[] {
  const found = at(value, path);
  return Array.isArray(found) ? found : [];
}
