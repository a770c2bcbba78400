import { z } from 'zod';
import type { PropIssue, PropPath } from './errors';
import { closestMatch } from './suggest';

type ZodIssue = z.core.$ZodIssue;

/**
 * Turns zod's issues into messages a person can act on: what is wrong, the
 * value received and the fix. `schema` is the one that was parsed, used to
 * suggest the key a typo meant.
 */
export function toPropIssues(issues: readonly ZodIssue[], schema: z.ZodType, prefix: PropPath = []): PropIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map((p) => typeof p === 'symbol' ? String(p) : p)];
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ path: [...path, key], message: unknownKeyMessage(key, knownKeys(schema, path)) }));
      case 'invalid_union':
        // A discriminated union whose discriminator matched no branch has no branch errors.
        return issue.errors.length === 0 ? [{ path, message: issue.message }] : unionIssues(issue, schema, path);
      case 'invalid_key':
        return toPropIssues(issue.issues, schema, path);
      default:
        return [{ path, message: issue.message }];
    }
  });
}

/**
 * zod's per-parse error map: messages that name the value received. A
 * message set on a schema itself takes precedence over these.
 */
export function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const got = describe(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `is required (${article(issue.expected)})` : `must be ${article(issue.expected)}, got ${got}`;
    case 'too_small':
      if (issue.origin === 'array') return `must list at least ${issue.minimum} item(s)`;
      return issue.origin === 'string' ? 'must not be empty' : `must be ${issue.inclusive ? '>=' : '>'} ${issue.minimum}, got ${got}`;
    case 'too_big':
      return issue.origin === 'string' ? `must be at most ${issue.maximum} characters, got ${got}` : `must be ${issue.inclusive ? '<=' : '<'} ${issue.maximum}, got ${got}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}, got ${got}`;
    default:
      return undefined;
  }
}

function article(expected: string): string {
  const names: Record<string, string> = { int: 'a whole number', number: 'a number', string: 'a string', boolean: 'a boolean (true or false)', object: 'a mapping', array: 'a list', record: 'a mapping' };
  return names[expected] ?? expected;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${value}'`;
  return String(value);
}

// A union fails as a whole; report the branch the author meant: the one
// whose type matched and whose own key is present.
function unionIssues(issue: z.core.$ZodIssueInvalidUnion, schema: z.ZodType, path: PropPath): PropIssue[] {
  const rootType = (errors: readonly ZodIssue[]) => errors.find((e): e is z.core.$ZodIssueInvalidType => e.path.length === 0 && e.code === 'invalid_type');
  // `false` or a mapping: a mapping fails the literal branch at its root.
  const rootValue = (errors: readonly ZodIssue[]) => errors.find((e): e is z.core.$ZodIssueInvalidValue => e.path.length === 0 && e.code === 'invalid_value');
  const missingKey = (errors: readonly ZodIssue[]) => errors.some((e) => e.path.length === 1 && e.code === 'invalid_type' && e.input === undefined);
  const keys = knownKeys(schema, path);
  const given = isMapping(issue.input) ? Object.keys(issue.input).filter((k) => keys.includes(k)) : [];
  // In a union of one-key mappings (an env value's secretKeyRef, configMapKeyRef, fieldRef), the key picks the branch.
  const oneKeyBranches = objectsAt(schema, path);
  if (given.length > 1 && oneKeyBranches.length > 1 && oneKeyBranches.every((o) => Object.keys(o.shape).length === 1)) {
    return [{ path, message: `set exactly one of ${keys.join(', ')}; got ${given.join(' and ')}` }];
  }
  const matched = issue.errors.filter((errors) => !rootType(errors) && !rootValue(errors));
  const meant = matched.length === 1 ? matched[0] : matched.find((errors) => !missingKey(errors));
  if (meant) return toPropIssues(meant, schema, path);
  const expected = [...new Set(issue.errors.map((errors) => {
    const literal = rootValue(errors);
    if (literal) return literal.values.map((v) => String(v)).join(' or ');
    const type = rootType(errors)?.expected ?? 'object';
    if (type !== 'object' || keys.length === 0) return article(type);
    return oneKeyBranches.every((o) => Object.keys(o.shape).length === 1) ? `a mapping with one of ${keys.join(', ')}` : `a mapping (keys: ${keys.join(', ')})`;
  }))];
  const got = isMapping(issue.input) ? `a mapping with ${Object.keys(issue.input).join(', ') || 'no keys'}` : describe(issue.input);
  return [{ path, message: `must be ${joinOr(expected)}, got ${got}` }];
}

/** A YAML mapping: a plain object, not null or a list. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function joinOr(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const suggestion = closestMatch(key, allowed);
  const hint = suggestion !== undefined
    ? `did you mean '${suggestion}'?`
    : `allowed keys: ${allowed.join(', ')}`;
  return `unknown key '${key}'; ${hint}`;
}

/** The keys the object schema at `path` accepts. */
function knownKeys(schema: z.ZodType, path: PropPath): string[] {
  return objectsAt(schema, path).flatMap((o) => Object.keys(o.shape));
}

/** The object schemas at `path`: one, or the mapping branches of a union. */
function objectsAt(schema: z.ZodType, path: PropPath): z.ZodObject[] {
  let node: z.ZodType | undefined = schema;
  for (const part of path) {
    node = node && child(unwrap(node), part);
  }
  const target = node && unwrap(node);
  const options = target instanceof z.ZodUnion ? target.options as z.ZodType[] : [target];
  return options.filter((o): o is z.ZodObject => o instanceof z.ZodObject);
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional || schema instanceof z.ZodNullable ? unwrap(schema.unwrap() as z.ZodType) : schema;
}

function child(schema: z.ZodType, part: string | number): z.ZodType | undefined {
  if (schema instanceof z.ZodObject) return schema.shape[part] as z.ZodType | undefined;
  if (schema instanceof z.ZodArray) return schema.element as z.ZodType;
  if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType;
  if (schema instanceof z.ZodUnion) {
    return schema.options.map((o) => child(o as z.ZodType, part)).find((c) => c !== undefined);
  }
  return undefined;
}
