import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadManifests } from '../../app/validate/load-manifests';
import { runValidate } from '../../app/validate/run-validate';
import { MAX_LIST_DEPTH } from '../../app/validate/expand-lists';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-lists-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function load(text: string): ReturnType<typeof loadManifests> {
  fs.writeFileSync(path.join(dir, 'm.yaml'), text);
  return loadManifests(path.join(dir, 'm.yaml'), 'm.yaml');
}

const NESTED = [
  'apiVersion: v1',
  'kind: List',
  'items:',
  '  - { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }',
  '  - apiVersion: v1',
  '    kind: List',
  '    items:',
  '      - apiVersion: v1',
  '        kind: Pod',
  '        metadata: { name: root }',
  '        spec:',
  '          containers:',
  '            - name: shell',
  '              image: registry.example.com/shell:latest',
  '              securityContext: { privileged: true }',
  '',
].join('\n');

describe('Lists inside Lists', () => {
  test('contribute their items, each at its own line', () => {
    const { manifests, issues } = load(NESTED);
    expect(issues).toEqual([]);
    expect(manifests.map((m) => [m.object.kind, m.line])).toEqual([['ConfigMap', 4], ['Pod', 8]]);
  });

  test('npm run validate checks the objects of a nested List', () => {
    fs.writeFileSync(path.join(dir, 'nested.yaml'), NESTED);
    let stderr = '';
    const code = runValidate({ paths: ['nested.yaml'], cwd: dir, stdout: () => undefined, stderr: (t) => { stderr += t; } });
    expect(code).toBe(1);
    expect(stderr).toContain("nested.yaml:8: Pod root: spec.containers[0].securityContext.privileged: [PSS-PRIVILEGED] container 'shell' is privileged");
    expect(stderr).toContain("nested.yaml:8: Pod root: spec.containers[0].image: [IMAGE-PINNED] container 'shell'");
  });

  test(`fails on Lists nested more than ${MAX_LIST_DEPTH} deep, naming the line`, () => {
    let list = '{ apiVersion: v1, kind: ConfigMap, metadata: { name: a } }';
    for (let i = 0; i <= MAX_LIST_DEPTH + 1; i++) list = `{ apiVersion: v1, kind: List, items: [${list}] }`;
    const { manifests, issues } = load(`${list}\n`);
    expect(manifests).toEqual([]);
    expect(issues).toEqual([{ file: 'm.yaml', line: 1, path: Array(MAX_LIST_DEPTH + 1).fill(['items', 0]).flat(), message: `a List nested in more than ${MAX_LIST_DEPTH} Lists, the limit; flatten the Lists` }]);
  });

  test('fails on a List whose items is not a list, naming items', () => {
    const { manifests, issues } = load('apiVersion: v1\nkind: List\nitems: x\n');
    expect(manifests).toEqual([]);
    expect(issues).toEqual([{ file: 'm.yaml', line: 3, path: ['items'], message: 'the items of a List must be a list of objects, not the string x' }]);
  });

  test('a nested List whose items is not a list is named by its path', () => {
    const { issues } = load('apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: List\n    items: { a: 1 }\n');
    expect(issues).toEqual([{ file: 'm.yaml', line: 6, path: ['items', 0, 'items'], message: 'the items of a List must be a list of objects, not a mapping' }]);
  });

  test('a List without items holds nothing', () => {
    expect(load('apiVersion: v1\nkind: List\n')).toEqual({ manifests: [], issues: [] });
    expect(load('apiVersion: v1\nkind: List\nitems: []\n')).toEqual({ manifests: [], issues: [] });
  });

  test('an item that comes through a YAML alias takes the line of the alias', () => {
    const { manifests } = load('apiVersion: v1\nkind: List\nitems:\n  - &cm { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }\n  - *cm\n');
    expect(manifests.map((m) => m.line)).toEqual([4, 5]);
  });
});
