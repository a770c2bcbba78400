import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { FileIssue } from '../config/workload-file';
import { KUSTOMIZATION_FILE, KUSTOMIZE_GROUP } from '../gitops/kustomization';
import { isRecord, type K8sObject, type Manifest } from './manifest';


/**
 * Every Kubernetes object in one YAML file, with its line. The file is read
 * as YAML 1.1, as kubectl reads it (`yes` is true, `<<` merges, `0644` is
 * octal). A `List` or typed list (`DeploymentList`) contributes its items.
 * Unreadable files, YAML errors and documents that are not objects become
 * issues; this never throws.
 */
export function loadManifests(file: string, display: string): { manifests: Manifest[]; issues: FileIssue[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { manifests: [], issues: [{ file: display, path: [], message: `cannot read the file: ${(e as Error).message}` }] };
  }
  const lines = new LineCounter();
  const manifests: Manifest[] = [];
  const issues: FileIssue[] = [];
  const lineAt = (offset: number | undefined) => lines.linePos(offset ?? 0).line;
  for (const doc of parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, version: '1.1', merge: true })) {
    const line = lineAt(doc.contents?.range?.[0] ?? doc.range[0]);
    if (doc.errors.length > 0) {
      issues.push(...doc.errors.map((e) => ({ file: display, line: lineAt(e.pos[0]), path: [], message: `YAML syntax error: ${e.message.split('\n')[0]}` })));
      continue;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      issues.push({ file: display, line, path: [], message: `YAML error: ${(e as Error).message}` });
      continue;
    }
    if (data === null || data === undefined) continue;
    if (!isRecord(data)) {
      issues.push({ file: display, line, path: [], message: 'a Kubernetes manifest document must be an object with apiVersion and kind' });
      continue;
    }
    // Kustomize's own file (kustomization.yaml) configures a build; it is not an API object.
    if (typeof data.apiVersion === 'string' && data.apiVersion.startsWith(`${KUSTOMIZE_GROUP}/`)) continue;
    if (typeof data.kind === 'string' && data.kind.endsWith('List') && Array.isArray(data.items)) {
      const itemNodes = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
      data.items.forEach((item: unknown, i: number) => {
        const node = isSeq(itemNodes) ? itemNodes.items[i] as { range?: [number] } | undefined : undefined;
        const itemLine = lineAt(node?.range?.[0]) || line;
        if (isRecord(item)) manifests.push({ object: item as K8sObject, source: display, line: itemLine });
        else issues.push({ file: display, line: itemLine, path: ['items', i], message: `an item of a ${data.kind} must be an object with apiVersion and kind` });
      });
      continue;
    }
    manifests.push({ object: data as K8sObject, source: display, line });
  }
  return { manifests, issues };
}

/** The objects of several files, grouped by the folder each file is applied with (see {@link applyUnit}). */
export interface LoadedManifests {
  readonly manifests: readonly Manifest[];
  readonly issues: readonly FileIssue[];
  /** The objects of each apply unit, to be validated against each other only. */
  readonly units: readonly (readonly Manifest[])[];
}

/** Loads every file; `display` turns a path into the one reports show. */
export function loadManifestFiles(files: Iterable<string>, display: (file: string) => string): LoadedManifests {
  const list = [...files];
  const boundary = commonFolder(list);
  const manifests: Manifest[] = [];
  const issues: FileIssue[] = [];
  const units = new Map<string, Manifest[]>();
  for (const file of list) {
    const loaded = loadManifests(file, display(file));
    manifests.push(...loaded.manifests);
    issues.push(...loaded.issues);
    const unit = applyUnit(file, boundary);
    const group = units.get(unit);
    if (group) group.push(...loaded.manifests);
    else units.set(unit, [...loaded.manifests]);
  }
  return { manifests, issues, units: [...units.values()] };
}

/**
 * The folder a file is applied with: the nearest one above it, up to
 * `boundary`, that holds a kustomization.yaml (an environment folder of
 * synth), or '' for all the rest. Objects are checked against the others of
 * their unit only, since every environment repeats the same names.
 */
export function applyUnit(file: string, boundary: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, KUSTOMIZATION_FILE))) return dir;
    if (dir === boundary || path.dirname(dir) === dir || !dir.startsWith(boundary)) return '';
  }
}

function commonFolder(files: readonly string[]): string {
  const parts = files.map((f) => path.dirname(path.resolve(f)).split(path.sep));
  const common: string[] = [];
  for (let i = 0; parts.length > 0 && i < parts[0].length && parts.every((p) => p[i] === parts[0][i]); i++) common.push(parts[0][i]);
  return common.join(path.sep) || path.sep;
}
