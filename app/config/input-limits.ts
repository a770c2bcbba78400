import { Composer, CST, type Document, type DocumentOptions, type LineCounter, type ParseOptions, Parser, type SchemaOptions } from 'yaml';
import { formatBytes } from './input-files';
import type { PropPath } from '../../lib/core/errors';

/**
 * Bounds on what synth and `npm run validate` read, so that broken or hostile
 * input is an error naming the file and field, never a hang, a crash or an
 * object the API server refuses. The README's "Limits" lists them.
 */
export interface InputLimits {
  /** Largest file, in bytes. */
  readonly fileBytes: number;
  /** Most lists and mappings inside each other; the document's own mapping is level 1. */
  readonly depth: number;
  /** Longest string (a value or a key), in characters. */
  readonly stringChars: number;
  /** Most items of one list. */
  readonly listItems: number;
  /**
   * Most keys of one mapping. Lower than for lists: the yaml package checks each key
   * against every other for duplicates, which takes seconds from about 10,000 keys on.
   */
  readonly mappingKeys: number;
}

const MiB = 1024 * 1024;

/**
 * etcd, behind the API server, stores an object of at most 1.5 MiB: a longer
 * string can never be applied.
 */
const API_OBJECT_BYTES = 1.5 * MiB;

/** Workload files and the environments file: the deepest key a workload has is about 12 levels down. */
export const WORKLOAD_FILE_LIMITS: InputLimits = { fileBytes: 4 * MiB, depth: 64, stringChars: API_OBJECT_BYTES, listItems: 10_000, mappingKeys: 1_000 };

/** Manifests `npm run validate` reads: a List may hold many objects, a CustomResourceDefinition's schema nests deep. */
export const MANIFEST_FILE_LIMITS: InputLimits = { fileBytes: 16 * MiB, depth: 200, stringChars: API_OBJECT_BYTES, listItems: 100_000, mappingKeys: 10_000 };

/** Keys that are properties of every JavaScript object: reading them as data would change what other keys mean. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** The message for a document nested deeper than `limits.depth`. */
export function depthMessage(limits: InputLimits): string {
  return `lists and mappings nest more than ${limits.depth} levels deep, the limit; flatten the structure`;
}

function listMessage(items: number, limits: InputLimits): string {
  return `has ${items} items, above the limit of ${limits.listItems} per list; shorten the list`;
}

function mappingMessage(keys: number, limits: InputLimits): string {
  return `has ${keys} keys, above the limit of ${limits.mappingKeys} per mapping; split the mapping`;
}

/** A problem the yaml package's tokens show, before the documents are composed. */
export interface TokenIssue {
  /** Where in the text: the key that holds the list or mapping, or its start. */
  readonly offset: number;
  readonly path: PropPath;
  readonly message: string;
}

/**
 * The documents of a YAML stream, as the yaml package's parseAllDocuments
 * gives them, or the first list or mapping beyond `limits` (nested too deep,
 * or too long). That is checked on the parser's tokens (the parser keeps its
 * own stack), before the recursive steps (composing the documents, toJS) can
 * run out of stack, and before the composer checks each key of a mapping
 * against every other.
 */
export function parseYamlStream(
  text: string,
  options: ParseOptions & DocumentOptions & SchemaOptions,
  lines: LineCounter,
  limits: InputLimits,
): { documents: Document.Parsed[]; issue?: undefined } | { documents?: undefined; issue: TokenIssue } {
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  const issue = firstTokenIssue(tokens, limits);
  if (issue) return { issue };
  return { documents: Array.from(new Composer(options).compose(tokens)) };
}

interface Open {
  readonly token: CST.Token;
  readonly level: number;
  readonly path: PropPath;
  /** The offset of the key whose value it is. */
  readonly at: number;
}

function firstTokenIssue(tokens: readonly CST.Token[], limits: InputLimits): TokenIssue | undefined {
  const stack: Open[] = [];
  for (const token of tokens) if (token.type === 'document' && token.value) stack.push({ token: token.value, level: 1, path: [], at: token.value.offset });
  let first: TokenIssue | undefined;
  const found = (issue: TokenIssue) => {
    if (first === undefined || issue.offset < first.offset) first = issue;
  };
  while (stack.length > 0) {
    const { token, level, path, at } = stack.pop()!;
    if (!CST.isCollection(token)) continue;
    if (level > limits.depth) {
      found({ offset: token.offset, path: [], message: depthMessage(limits) });
      continue;
    }
    const isList = token.type === 'block-seq' || (token.type === 'flow-collection' && token.start.source === '[');
    if (isList && token.items.length > limits.listItems) found({ offset: at, path, message: listMessage(token.items.length, limits) });
    if (!isList && token.items.length > limits.mappingKeys) found({ offset: at, path, message: mappingMessage(token.items.length, limits) });
    token.items.forEach((item, i) => {
      // Scalars have nothing to check here (strings are checked once parsed).
      if (CST.isCollection(item.key)) stack.push({ token: item.key, level: level + 1, path: [...path, keyOf(item.key)], at: item.key.offset });
      if (CST.isCollection(item.value)) stack.push({ token: item.value, level: level + 1, path: [...path, isList ? i : keyOf(item.key)], at: item.key?.offset ?? item.value.offset });
    });
  }
  return first;
}

function keyOf(token: CST.Token | null | undefined): string {
  return CST.resolveAsScalar(token)?.value ?? '?';
}

/** One value beyond a limit: the field and what is wrong. */
export interface LimitIssue {
  readonly path: PropPath;
  readonly message: string;
}

/**
 * Every string, list and mapping of `data` (a parsed document) beyond
 * `limits`, every key in FORBIDDEN_KEYS, and a mapping or list that holds
 * itself (through YAML aliases), each at its field. `shared`: whether lists
 * and mappings may be shared (only YAML aliases make them so); without, the
 * walk is faster.
 */
export function limitIssues(data: unknown, limits: InputLimits, shared = true): LimitIssue[] {
  const issues: LimitIssue[] = [];
  const path: (string | number)[] = [];
  // The lists and mappings being walked: one met again holds itself.
  const open = new Set<object>();
  const walk = (value: unknown, level: number): void => {
    if (typeof value === 'string') {
      if (value.length > limits.stringChars) issues.push({ path: [...path], message: tooLong(value, limits) });
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (shared && open.has(value)) {
      issues.push({ path: [...path], message: 'refers to a list or mapping that holds it (a YAML alias to an enclosing anchor); write the value out' });
      return;
    }
    // Aliases can nest what the tokens did not.
    if (level > limits.depth) {
      issues.push({ path: path.slice(0, 1), message: depthMessage(limits) });
      return;
    }
    if (shared) open.add(value);
    if (Array.isArray(value)) {
      if (value.length > limits.listItems) issues.push({ path: [...path], message: listMessage(value.length, limits) });
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(value[i], level + 1);
        path.pop();
      }
    } else {
      const keys = Object.keys(value);
      if (keys.length > limits.mappingKeys) issues.push({ path: [...path], message: mappingMessage(keys.length, limits) });
      for (const key of keys) {
        path.push(key);
        if (FORBIDDEN_KEYS.includes(key)) {
          issues.push({ path: [...path], message: `'${key}' cannot be a key: ${FORBIDDEN_KEYS.join(', ')} are properties of every JavaScript object, refused wherever input is read; rename or remove it` });
        } else if (key.length > limits.stringChars) {
          issues.push({ path: path.slice(0, -1), message: `a key ${tooLong(key, limits)}` });
        } else {
          walk((value as Record<string, unknown>)[key], level + 1);
        }
        path.pop();
      }
    }
    if (shared) open.delete(value);
  };
  walk(data, 1);
  return issues;
}

function tooLong(value: string, limits: InputLimits): string {
  return `is ${value.length} characters long, above the limit of ${limits.stringChars} (${formatBytes(limits.stringChars)}, the most the API server stores in one object); keep large data in a volume or an object store, not in a field`;
}
