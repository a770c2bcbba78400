import * as fs from 'node:fs';
import { type App, Chart } from 'cdk8s';
import { kindProblem, WORKLOAD_KINDS } from '../config/workload-kinds';
import { type FileIssue, findWorkloadFiles, parseWorkloadFile, type WorkloadDocument, WorkloadFileError } from '../config/workload-file';
import { WorkloadPropsError } from '../workload/errors';
import type { Workload } from '../workload/workload';

/** A workload built from a workload file, in its own chart. */
export interface BuiltWorkload {
  /** The document it came from. */
  readonly source: WorkloadDocument;
  /** The chart that holds only this workload. */
  readonly chart: Chart;
  readonly workload: Workload;
}

/**
 * Reads every workload file under `dir` and builds each workload in its own
 * chart of `app`. Throws a WorkloadFileError with every problem of every
 * file; `displayPath` turns a file path into the one errors show.
 */
export function buildWorkloadsFromDir(app: App, dir: string, displayPath: (file: string) => string): BuiltWorkload[] {
  const files = findWorkloadFiles(dir);
  if (files.length === 0) {
    throw new WorkloadFileError([{ file: displayPath(dir), path: [], message: 'holds no workload files (*.yaml, *.yml); add one, or point CDK8S_ML_WORKLOADS at the folder that has them' }]);
  }
  const issues: FileIssue[] = [];
  const documents: WorkloadDocument[] = [];
  for (const file of files) {
    const parsed = parseWorkloadFile(displayPath(file), fs.readFileSync(file, 'utf8'));
    issues.push(...parsed.issues);
    documents.push(...parsed.documents);
  }
  const built = buildWorkloads(app, documents, issues);
  if (issues.length > 0) throw new WorkloadFileError(issues);
  return built;
}

/** Builds each document into a chart; problems are appended to `issues`. */
export function buildWorkloads(app: App, documents: readonly WorkloadDocument[], issues: FileIssue[]): BuiltWorkload[] {
  const built: BuiltWorkload[] = [];
  const seen = new Map<string, WorkloadDocument>();
  for (const [index, source] of documents.entries()) {
    const { kind, ...props } = source.data;
    const problem = kindProblem(kind);
    if (problem) {
      issues.push(source.issue(['kind'], problem));
      continue;
    }
    const named = typeof props.name === 'string' && ['string', 'undefined'].includes(typeof props.namespace);
    const key = named ? objectKey(props.namespace, props.name) : undefined;
    const first = key === undefined ? undefined : seen.get(key);
    if (first) {
      issues.push(source.issue(['name'], `'${String(props.name)}' is already defined${props.namespace ? ` in namespace '${String(props.namespace)}'` : ''} at ${first.file}:${first.lineOf(['name'])}; workload names must be unique per namespace`));
    } else if (key !== undefined) {
      seen.set(key, source);
    }
    // Chart ids never reach the output (object names come from `name` alone), so the
    // position is enough; a duplicate still gets built, so that all its problems are reported.
    const chart = new Chart(app, `Workload${index}`);
    try {
      built.push({ source, chart, workload: WORKLOAD_KINDS[kind as string](chart, 'Workload', props) });
    } catch (e) {
      if (!(e instanceof WorkloadPropsError)) throw e;
      issues.push(...e.issues.map((i) => source.issue(i.path, i.message)));
    }
  }
  return built;
}

/** `namespace.name`, or `name` without a namespace: unique per object, and the output file's stem. */
export function objectKey(namespace: unknown, name: unknown): string {
  return namespace === undefined ? String(name) : `${String(namespace)}.${String(name)}`;
}
