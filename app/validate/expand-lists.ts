import { isMap, isSeq } from 'yaml';
import type { FileIssue } from '../config/workload-file';
import type { PropPath } from '../../lib/core/errors';
import { isRecord, type K8sObject, type Manifest, show } from '../../lib/validation/manifest';

/** How deep Lists may sit inside Lists; kubectl flattens them all, and no real manifest nests more than a few. */
export const MAX_LIST_DEPTH = 10;

/** Where a document sits: its file as reports show it, and the offset-to-line of the file. */
export interface DocumentPlace {
  readonly file: string;
  readonly lineAt: (offset: number) => number;
}

/** True for a `List` or a typed list (`DeploymentList`): a list kind with `items`, or `kind: List` itself. */
function isList(value: Record<string, unknown>): boolean {
  return typeof value.kind === 'string' && value.kind.endsWith('List') && (value.kind === 'List' || value.items !== undefined);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `${typeof value === 'string' ? 'the string' : `the ${typeof value}`} ${show(value)}`;
}

/**
 * The objects of one document: the document itself, or, for a List (or a
 * typed list), its items, Lists inside it expanded too (up to
 * {@link MAX_LIST_DEPTH}), each with its own line. `node` is the document's
 * YAML node, for the lines of the items.
 */
export function expandLists(value: Record<string, unknown>, node: unknown, line: number, place: DocumentPlace): { manifests: Manifest[]; issues: FileIssue[] } {
  const manifests: Manifest[] = [];
  const issues: FileIssue[] = [];
  const lineOf = (n: unknown, fallback: number): number => {
    const start = (n as { range?: [number] } | undefined)?.range?.[0];
    return start === undefined ? fallback : place.lineAt(start);
  };
  const visit = (object: Record<string, unknown>, objectNode: unknown, objectLine: number, path: PropPath, depth: number): void => {
    if (!isList(object)) {
      manifests.push({ object: object as K8sObject, source: place.file, line: objectLine });
      return;
    }
    if (depth > MAX_LIST_DEPTH) {
      issues.push({ file: place.file, line: objectLine, path, message: `a ${show(object.kind)} nested in more than ${MAX_LIST_DEPTH} Lists, the limit; flatten the Lists` });
      return;
    }
    const itemsNode = isMap(objectNode) ? objectNode.get('items', true) : undefined;
    // A List without items is empty.
    if (object.items === undefined || object.items === null) return;
    if (!Array.isArray(object.items)) {
      issues.push({ file: place.file, line: lineOf(itemsNode, objectLine), path: [...path, 'items'], message: `the items of a ${show(object.kind)} must be a list of objects, not ${describe(object.items)}` });
      return;
    }
    object.items.forEach((item: unknown, i: number) => {
      const itemNode = isSeq(itemsNode) ? itemsNode.items[i] : undefined;
      const itemLine = lineOf(itemNode, objectLine);
      if (isRecord(item)) visit(item, itemNode, itemLine, [...path, 'items', i], depth + 1);
      else issues.push({ file: place.file, line: itemLine, path: [...path, 'items', i], message: `an item of a ${show(object.kind)} must be an object with apiVersion and kind, not ${describe(item)}` });
    });
  };
  visit(value, node, line, [], 0);
  return { manifests, issues };
}
