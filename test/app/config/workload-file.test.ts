import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSimpleYaml } from '../../../app/config/simple-yaml';
import { parseWorkloadFile } from '../../../app/config/workload-file';
import { type PropPath } from '../../../lib';

describe('parseWorkloadFile', () => {
  const text = ['kind: MlPipeline', 'name: a', 'autoscaling:', '  behavior:', '    scaleUp:', '      policies:', '        - type: Pods', '          value: 0', '---', '---', 'kind: MlPipeline', 'name: b', ''].join('\n');

  test('returns one document per YAML document, skipping empty ones', () => {
    const { documents, issues } = parseWorkloadFile('w.yaml', text);
    expect(issues).toEqual([]);
    expect(documents.map((d) => d.data.name)).toEqual(['a', 'b']);
  });

  test('finds the line of a nested field', () => {
    const [first, second] = parseWorkloadFile('w.yaml', text).documents;
    expect(first.lineOf(['autoscaling', 'behavior', 'scaleUp', 'policies', 0, 'value'])).toBe(8);
    expect(second.lineOf(['name'])).toBe(12);
  });

  test('a missing field is placed at its nearest enclosing field', () => {
    const [first] = parseWorkloadFile('w.yaml', text).documents;
    expect(first.lineOf(['autoscaling', 'maxReplicas'])).toBe(3);
    expect(first.lineOf(['image'])).toBe(1);
  });
});

describe('parseWorkloadFile of simple YAML', () => {
  const dir = path.join(__dirname, '../../../workloads');
  const examples = fs.readdirSync(dir).map((name) => [`workloads/${name}`, fs.readFileSync(path.join(dir, name), 'utf8')]);

  /** Every path into `value`, and one that is missing below each. */
  function paths(value: unknown, prefix: PropPath = []): PropPath[] {
    if (value === null || typeof value !== 'object') return [prefix];
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    return [prefix, [...prefix, 'missing'], ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
  }

  test.each(examples)('%s gives the data and lines the yaml package gives', (file, text) => {
    // A non-ASCII comment leaves the file to the yaml package, on the same lines.
    const viaYaml = `${text}# ü\n`;
    expect(parseSimpleYaml(text)).toBeDefined();
    expect(parseSimpleYaml(viaYaml)).toBeUndefined();
    const [simple] = parseWorkloadFile(file, text).documents;
    const [yaml] = parseWorkloadFile(file, viaYaml).documents;
    expect(simple.data).toEqual(yaml.data);
    for (const at of paths(yaml.data)) expect([at, simple.lineOf(at)]).toEqual([at, yaml.lineOf(at)]);
  });

  test('locates fields in the document they belong to', () => {
    const [, second] = parseWorkloadFile('w.yaml', 'kind: MlPipeline\nname: a\n---\n# b\nkind: MlPipeline\nname: b\nport: 0\n').documents;
    expect(second.issue(['port'], 'must be >= 1, got 0')).toEqual({ file: 'w.yaml', line: 7, path: ['port'], message: 'must be >= 1, got 0' });
  });
});
