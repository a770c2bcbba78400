import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter } from 'yaml';
import { readInputFile } from '../config/input-files';
import { limitIssues, MANIFEST_FILE_LIMITS, parseYamlStream } from '../config/input-limits';
import { type FileIssue, lineIn } from '../config/workload-file';
import { KUSTOMIZATION_FILE, KUSTOMIZE_CONFIG_FILE, KUSTOMIZE_GROUP } from '../gitops/kustomization';
import { expandLists } from './expand-lists';
import { isRecord, type Manifest } from '../../lib/validation/manifest';


/**
 * Every Kubernetes object in one YAML file, with its line. The file is read
 * as YAML 1.1, as kubectl reads it (`yes` is true, `<<` merges, `0644` is
 * octal). A `List` or typed list (`DeploymentList`) contributes its items,
 * the items of Lists inside it included.
 * Unreadable files (not a regular file, or beyond MANIFEST_FILE_LIMITS), YAML
 * errors and documents that are not objects become issues; this never throws.
 */
export function loadManifests(file: string, display: string): { manifests: Manifest[]; issues: FileIssue[] } {
  // Kustomize's name-reference configuration beside a kustomization.yaml is no API object either.
  if (path.basename(file) === KUSTOMIZE_CONFIG_FILE && fs.existsSync(path.join(path.dirname(file), KUSTOMIZATION_FILE))) return { manifests: [], issues: [] };
  const read = readInputFile(file, MANIFEST_FILE_LIMITS.fileBytes, 'a manifest file');
  if (read.text === undefined) return { manifests: [], issues: [{ file: display, path: [], message: `cannot be read: ${read.cause}` }] };
  const text = read.text;
  const lines = new LineCounter();
  const manifests: Manifest[] = [];
  const issues: FileIssue[] = [];
  const lineAt = (offset: number | undefined) => lines.linePos(offset ?? 0).line;
  const stream = parseYamlStream(text, { prettyErrors: false, version: '1.1', merge: true }, lines, MANIFEST_FILE_LIMITS);
  if (stream.documents === undefined) return { manifests, issues: [{ file: display, line: lineAt(stream.issue.offset), path: stream.issue.path, message: stream.issue.message }] };
  for (const doc of stream.documents) {
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
    const beyond = limitIssues(data, MANIFEST_FILE_LIMITS);
    if (beyond.length > 0) {
      issues.push(...beyond.map((i) => ({ file: display, line: lineIn(doc, lines, i.path), path: i.path, message: i.message })));
      continue;
    }
    if (!isRecord(data)) {
      issues.push({ file: display, line, path: [], message: 'a Kubernetes manifest document must be an object with apiVersion and kind' });
      continue;
    }
    // Kustomize's own file (kustomization.yaml) configures a build; it is not an API object.
    if (typeof data.apiVersion === 'string' && data.apiVersion.startsWith(`${KUSTOMIZE_GROUP}/`)) continue;
    // A List (or typed list) contributes its items, Lists inside it included.
    const expanded = expandLists(data, doc.contents, line, { file: display, lineAt });
    manifests.push(...expanded.manifests);
    issues.push(...expanded.issues);
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
