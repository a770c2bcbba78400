import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Yaml } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { writeFleet } from '../../../bench/run';
import { emitYaml } from '../../../app/synth/emit-yaml';
import { runSynth } from '../../../app/synth/run-synth';
import { filesBelow } from '../../helpers';

// emitYaml must write exactly what cdk8s's Yaml.stringify writes: the bytes of dist/ depend on it.
const same = (...docs: unknown[]) => expect(emitYaml(...docs)).toBe(Yaml.stringify(...docs));

const TRICKY = [
  '', ' ', ' lead', 'trail ', '-x', '--batch-size', '- x', '-', '?', '? x', ':', ': x', 'x:', 'a: b', 'a #b', '#x', 'a#b',
  '@x', '`x', '*x', '&x', '!x', '%x', '|x', '>x', "'x", '"x', 'x"', '{x', '[x', 'x]', 'a,b', 'x?', '~', 'null', 'Null', 'NULL',
  'yes', 'Yes', 'YES', 'no', 'No', 'on', 'On', 'off', 'OFF', 'y', 'Y', 'n', 'N', 'true', 'True', 'TRUE', 'false', 'False',
  '1', '-1', '+1', '1.0', '.5', '1e3', '1E3', '0x1F', '0o17', '017', '0b101', '1_000', '.inf', '-.inf', '.NaN', '12:30', '190:20:30',
  '2024-01-01', '2024-01-01T00:00:00Z', 'a\tb', 'ümlaut', 'emoji 🚀', '\\', 'x\\y', 'http://example.com:8080/a?b=c#d',
  '0 2 * * *', '*/5 * * * *', '@daily', '500m', '1Gi', 'sum(rate(x{a="b"}[1m])) / (sum(y) > 0)', 'vllm:num_requests_waiting',
];

describe('emitYaml', () => {
  test.each(TRICKY)('writes the string %p as a value, a key and a list item as the yaml package does', (s) => {
    same({ value: s, [s === '' ? 'empty' : s]: 1, list: [s, [s], { k: s }] });
    same({ [s]: s });
  });

  test('writes words (every one up to three characters from the letters YAML 1.1 reads specially and the marks of image references) and integers as the yaml package does', () => {
    const alphabet = ['a', 'e', 'E', 'n', 'N', 'o', 'y', 'Y', 'f', 'l', 's', 'u', 't', 'r', 'x', 'b', 'G', 'i', '0', '1', '9', '-', '.', '_', '/', ':'];
    const words = alphabet.flatMap((a) => [a, ...alphabet.flatMap((b) => [a + b, ...alphabet.map((c) => a + b + c)])]);
    const longer = ['yes', 'Yes', 'YES', 'yEs', 'off', 'Off', 'OFF', 'oFF', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', 'nuLL',
      'e123', 'E-45', 'e-1x', 'e1.5', 'e.5', 'Infinity', 'NaN', 'model-server', 'w2999', 'ns-9', 'registry.example.com/ml/model-7:1.0.7', 'app.kubernetes.io/name',
      'a:b:', 'a::b', 'http://x', '0x1F', '0xAB', '0b101', '0o17', '017', '1e5', '1E5', '12e3x', '500m', '1500m', '16Gi', '1Ki', '10x', '1:30', '1.5Gi', '007x',
      '1.0.7', '0.0.0', '01.02.03', '1.2.3.4', '1.0', '1.0.', '.1.2', '1..2', '1_0.1.2', '1.2e3.4', '1.0.7-rc1'];
    // One document each: a word the fast path cannot write (`---`) sends its whole document to the yaml package.
    for (const word of [...words, ...longer]) same({ [word]: word, list: [word] });
    for (const n of [0, 1, -1, 7, 80, 65535, 2 ** 31, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, -0, 2 ** 53, 1.5, 1e21]) same({ n, list: [n] });
  });

  test('writes numbers, booleans, null, empty and nested collections as the yaml package does', () => {
    same({ a: 0, b: -1, c: 1.5, d: 1e21, e: 0.1, f: true, g: false, h: null, i: {}, j: [], k: [[]], l: [{}], m: [[1, [2, { x: [] }]]], n: [{ a: 1, b: [1, 2] }] });
  });

  test('writes several documents, and undefined ones, as cdk8s does', () => {
    same({ a: 1 }, undefined, { b: [1] });
  });

  test('writes undefined map values and list items as null, as cdk8s does', () => {
    same({ a: undefined });
    same({ a: undefined, b: [{ x: undefined }, { y: undefined, z: 1 }, [{ w: undefined }]], c: { d: undefined } });
  });

  test('hands multi-line strings and shared objects to the yaml package', () => {
    const shared = { app: 'web' };
    same({ data: { script: 'line 1\nline 2\n' } });
    same({ selector: shared, template: { labels: shared } });
  });

  test('writes every synthesized object of a mixed fleet and of the examples as cdk8s does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-emit-'));
    try {
      writeFleet(path.join(dir, 'workloads'), 25);
      expect(runSynth({ env: {}, cwd: dir, stdout: () => undefined, stderr: () => undefined })).toBe(0);
      const folders = [path.join(dir, 'dist'), path.resolve(__dirname, '../../../dist'), path.resolve(__dirname, '../../validation/corpus')];
      let objects = 0;
      for (const folder of folders) {
        for (const file of filesBelow(folder)) {
          const docs = parseAllDocuments(fs.readFileSync(path.join(folder, file), 'utf8')).map((d) => d.toJS()).filter(Boolean);
          objects += docs.length;
          same(...docs);
        }
      }
      expect(objects).toBeGreaterThan(100);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
