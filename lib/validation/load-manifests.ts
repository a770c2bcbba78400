import * as fs from 'node:fs';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { FileIssue } from '../config/workload-file';
import type { K8sObject, Manifest } from './manifest';

/**
 * Every Kubernetes object in one YAML file, with its line; a `kind: List`
 * contributes its items. YAML errors and documents that are not objects
 * become issues.
 */
export function loadManifests(file: string, display: string): { manifests: Manifest[]; issues: FileIssue[] } {
  const text = fs.readFileSync(file, 'utf8');
  const lines = new LineCounter();
  const manifests: Manifest[] = [];
  const issues: FileIssue[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines, prettyErrors: false })) {
    const line = lines.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
    if (doc.errors.length > 0) {
      issues.push(...doc.errors.map((e) => ({ file: display, line: lines.linePos(e.pos[0]).line, path: [], message: `YAML syntax error: ${e.message.split('\n')[0]}` })));
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
    if (typeof data !== 'object' || Array.isArray(data)) {
      issues.push({ file: display, line, path: [], message: 'a Kubernetes manifest document must be an object with apiVersion and kind' });
      continue;
    }
    const object = data as K8sObject;
    const items = object.kind === 'List' && Array.isArray(object.items) ? object.items as K8sObject[] : [object];
    manifests.push(...items.map((item) => ({ object: item, source: display, line })));
  }
  return { manifests, issues };
}
