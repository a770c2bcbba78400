import { isMap, isScalar, isSeq, LineCounter, type Document } from 'yaml';
import { formatPath, type PropPath } from '../../lib/core/errors';
import { type InputLimits, limitIssues, parseYamlStream, WORKLOAD_FILE_LIMITS } from './input-limits';
import { parseSimpleYaml, type SimpleDocument } from './simple-yaml';

/** One problem in one workload file, located as precisely as the file allows. */
export interface FileIssue {
  /** The file, as given to the loader (relative paths stay relative). */
  readonly file: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** The field, e.g. `['autoscaling', 'maxReplicas']`; empty for the whole document. */
  readonly path: PropPath;
  readonly message: string;
  /** The environment the problem arose in, when synth builds environments. */
  readonly environment?: string;
  /** The workload the problem arose for, when the file is not the workload's own (environment defaults). */
  readonly workload?: string;
}

/** `workloads/a.yaml:7: autoscaling.maxReplicas: must be >= 1, got 0` */
export function formatFileIssue(issue: FileIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  const field = formatPath(issue.path);
  return field ? `${where}: ${field}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** Thrown when workload files are invalid; carries every problem of every file. */
export class WorkloadFileError extends Error {
  public readonly issues: readonly FileIssue[];

  constructor(issues: readonly FileIssue[]) {
    const sorted = [...issues].sort((a, b) => compare(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0));
    super(sorted.map(formatFileIssue).join('\n'));
    this.name = 'WorkloadFileError';
    this.issues = sorted;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One YAML document of a workload file: the raw data plus what locates its fields. */
export class WorkloadDocument {
  constructor(
    /** The file it came from. */
    public readonly file: string,
    /** The parsed document. */
    public readonly data: Record<string, unknown>,
    /** The line its contents start on. */
    private readonly line: number,
    /** The line of the field at a path that is not empty. */
    private readonly lineOfField: (path: PropPath) => number,
  ) {}

  /** The line of the field at `path`, or of its nearest enclosing field that exists. */
  public lineOf(path: PropPath): number {
    return path.length === 0 ? this.line : this.lineOfField(path);
  }

  /** This document with `data` in place of its own, its fields' lines kept (the --set overrides of npm run simulate). */
  public withData(data: Record<string, unknown>): WorkloadDocument {
    return new WorkloadDocument(this.file, data, this.line, this.lineOfField);
  }

  /** An issue at `path` of this document. */
  public issue(path: PropPath, message: string): FileIssue {
    return { file: this.file, line: this.lineOf(path), path, message };
  }
}

/** The line of the field at `path` of `doc`, or of its nearest enclosing field that exists. */
export function lineIn(doc: Document, lines: LineCounter, path: PropPath): number {
  let node: unknown = doc.contents;
  let offset = doc.contents?.range?.[0] ?? 0;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === part);
      if (!pair) break;
      offset = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part]) {
      node = node.items[part];
      offset = (node as { range?: [number] }).range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return lines.linePos(offset).line;
}

/** The top-level key whose number values keep their text; see keepEnvNumbersAsWritten. */
const ENV = 'env';
/** The key of per-environment settings, in workload and environments files. */
const ENVIRONMENTS = 'environments';

/** Where else `env` maps sit: a workload file's overrides, an environments file's defaults and overrides. */
const NESTED_ENV_PATHS: readonly (readonly string[])[] = [[ENV], ['defaults', ENV], ['overrides', ENV]];

/**
 * Environment variables are strings in Kubernetes, so an unquoted number in
 * `env` keeps its text as written: `1.10` stays "1.10", not "1.1"; also in
 * `environments.<name>.env` and an environment's `defaults.env` and `overrides.env`.
 */
function keepEnvNumbersAsWritten(doc: Document): void {
  const root = doc.contents;
  if (!isMap(root)) return;
  const environments = root.get(ENVIRONMENTS, true);
  const envMaps = [
    root.get(ENV, true),
    ...(isMap(environments) ? environments.items.flatMap((pair) => NESTED_ENV_PATHS.map((p) => isMap(pair.value) ? pair.value.getIn(p, true) : undefined)) : []),
  ];
  for (const env of envMaps) {
    if (!isMap(env)) continue;
    for (const pair of env.items) {
      if (isScalar(pair.value) && typeof pair.value.value === 'number' && pair.value.source !== undefined) {
        pair.value.value = pair.value.source;
      }
    }
  }
}

/** True when an `env` below `environments` holds a number, whose text only the yaml package's node tree keeps. */
function hasNestedEnvNumbers(data: Record<string, unknown>): boolean {
  const environments = data[ENVIRONMENTS];
  if (typeof environments !== 'object' || environments === null) return false;
  return Object.values(environments).some((settings) => NESTED_ENV_PATHS.some((p) => {
    const env = p.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), settings);
    return typeof env === 'object' && env !== null && Object.values(env).some((v) => typeof v === 'number');
  }));
}

/**
 * Parses a workload file into its documents. YAML errors, documents that
 * are not mappings and values beyond `limits` (see input-limits.ts) become
 * issues; empty documents are skipped. Both readers, the fast one and the
 * yaml package, give the same documents and the same issues.
 */
export function parseWorkloadFile(file: string, text: string, limits: InputLimits = WORKLOAD_FILE_LIMITS): { documents: WorkloadDocument[]; issues: FileIssue[] } {
  const simple = parseSimpleYaml(text, ENV, limits);
  const fast = simple !== undefined && !simple.some((d) => hasNestedEnvNumbers(d.data));
  const parsed = fast ? fromSimple(file, text, simple, limits) : parseYaml(file, text, limits);
  const issues = [...parsed.issues];
  const documents = parsed.documents.filter((document) => {
    // The fast reader reads no aliases: nothing it returns is shared.
    const beyond = limitIssues(document.data, limits, !fast);
    issues.push(...beyond.map((i) => document.issue(i.path, i.message)));
    return beyond.length === 0;
  });
  return { documents, issues };
}

function fromSimple(file: string, text: string, simple: readonly SimpleDocument[], limits: InputLimits): { documents: WorkloadDocument[]; issues: FileIssue[] } {
  // The yaml package's node tree only serves to locate fields in errors: built the first time one is.
  let parsed: WorkloadDocument[] | undefined;
  const documents = simple.map(({ data, line }, i) =>
    new WorkloadDocument(file, data, line, (path) => (parsed ??= parseYaml(file, text, limits).documents)[i]?.lineOf(path) ?? line));
  return { documents, issues: [] };
}

/** parseWorkloadFile by the yaml package, for any YAML: documents locate their fields in its node tree. */
function parseYaml(file: string, text: string, limits: InputLimits): { documents: WorkloadDocument[]; issues: FileIssue[] } {
  const lines = new LineCounter();
  const documents: WorkloadDocument[] = [];
  const issues: FileIssue[] = [];
  const lastLine = text.trimEnd().split('\n').length;
  const stream = parseYamlStream(text, { uniqueKeys: true, prettyErrors: false }, lines, limits);
  if (stream.documents === undefined) {
    const { offset, path, message } = stream.issue;
    return { documents, issues: [{ file, line: lines.linePos(offset).line, path, message }] };
  }
  for (const doc of stream.documents) {
    if (doc.errors.length > 0) {
      issues.push(...doc.errors.map((e) => ({
        file,
        // The parser notices an unclosed quote or bracket at the end of the input; point at the last line, not past it.
        line: Math.min(lines.linePos(e.pos[0]).line, lastLine),
        path: [],
        message: `YAML syntax error: ${e.message.split('\n')[0]}`,
      })));
      continue;
    }
    const line = lines.linePos(doc.contents?.range?.[0] ?? 0).line;
    let data: unknown;
    try {
      keepEnvNumbersAsWritten(doc);
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // An alias to an anchor of another document, or an alias bomb.
      issues.push({ file, line, path: [], message: `YAML error: ${(e as Error).message}` });
      continue;
    }
    if (data === null || data === undefined) continue;
    if (typeof data !== 'object' || Array.isArray(data)) {
      issues.push({ file, line, path: [], message: 'a workload document must be a mapping with kind, name and image' });
      continue;
    }
    documents.push(new WorkloadDocument(file, data as Record<string, unknown>, line, (path) => lineIn(doc, lines, path)));
  }
  return { documents, issues };
}
