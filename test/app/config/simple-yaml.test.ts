import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { isMap, isScalar, parseAllDocuments } from 'yaml';
import { parseSimpleYaml } from '../../../app/config/simple-yaml';

/**
 * What the yaml package reads, as parseWorkloadFile asks it (unique keys, `env` numbers as
 * written, empty documents skipped), with each document's line; undefined when it reports
 * an error or a document is not a mapping.
 */
function viaYaml(text: string): { data: unknown; line: number }[] | undefined {
  const documents = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false })) {
    if (doc.errors.length > 0) return undefined;
    const env = isMap(doc.contents) ? doc.contents.get('env', true) : undefined;
    if (isMap(env)) {
      for (const pair of env.items) {
        if (isScalar(pair.value) && typeof pair.value.value === 'number') pair.value.value = pair.value.source;
      }
    }
    const data: unknown = doc.toJS({ maxAliasCount: 100 });
    if (data === null) continue;
    if (typeof data !== 'object' || Array.isArray(data)) return undefined;
    documents.push({ data, line: text.slice(0, doc.contents?.range?.[0]).split('\n').length });
  }
  return documents;
}

/** Fails unless parseSimpleYaml leaves `text` alone or reads it exactly as the yaml package does; true when it reads it. */
function readsAsYaml(text: string): boolean {
  const simple = parseSimpleYaml(text, 'env');
  if (simple === undefined) return false;
  // inspect() shows key order, -0, NaN and number against string, which toEqual alone would not.
  expect(inspect(simple, { depth: null })).toBe(inspect(viaYaml(text), { depth: null }));
  expect(simple).toEqual(viaYaml(text));
  return true;
}

const examples = fs.readdirSync(path.join(__dirname, '../../../workloads')).map((name) => fs.readFileSync(path.join(__dirname, '../../../workloads', name), 'utf8'));

// Simple YAML, as workload files are written: every one is read without the yaml package.
const SIMPLE = [
  '',
  '# only comments\n\n   # more\n',
  'kind: MlPipeline\nname: a\n',
  '# c\n---\nkind: a\n---\n---\nb: 1\n---\n# c\n',
  'a:\n  b: 1\n# a comment at any column\n  d: 2\n',
  'a:\n- x\n- y\nb: 1\n',
  'k:\n  - a:\n    - x\n    b: 1\n  -   c: 2\n      # c\n      d: 3\n',
  'a:\n\n  b: 1\n  \n  c:\n    - 1\n\n    - 2\nd:\n',
  'app.kubernetes.io/name: x\na/b.c-d_e: y\ny: 1\nn: 2\non: 3\noff: [no, yes]\n',
  'a: b,c [d] {e}\nb: -x\nc: x#y\nd: x #y\ne: it\'s\nf: x"y\ng: b :c\nh: http://x:80/y\n',
  'a: "x # y"\nb: \'it\'\'s\'\nc: \'\'\nd: ""\ne: "two  spaces"   # c\n',
  'a: { b: k:9092, c: http://x , d: [ ], e: [{}] }   # c\nb: [ .5, -1, -x, ~, null, NULL, true, False, "q", \'r\' ]\n',
  'a: [x, [y, [z, {q: r}]]]\nb: {c: {d: {e: [f]}}}\nc: { }\n',
  'a: 0o17\nb: 0x1F\nc: 1e3\nd: .inf\ne: 1_000\nf: 012\ng: +5\nh: -0\ni: .NaN\nj: -.Inf\nk: 1.\nl: 1.0e+3\nm: 0b101\nn: 2024-01-01\no: 1:2:3\np: 0o8\n',
  'env:\n  A: 1.10\n  B: 0x1F\n  C: "2"\n  D: .inf\n  E: true\n  F: ~\n  G:\n    secretKeyRef: { name: x, key: 1 }\n  H: { key: 2.0 }\n  I: [1.10]\nx:\n  env: { A: 1.0 }\n---\nenv: { A: 1.10, B: -0 }\nx: [ { env: 1.0 } ]\n',
];

// YAML that is not simple, or not valid, or not a mapping: left to the yaml package.
const NOT_SIMPLE = [
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  'a: |\n  text\n',
  'a: >\n  text\n',
  'a: multi\n  line\n',
  'a: "multi\n  line"\n',
  'a: [x,\n  y]\n',
  'a: "\\t"\n',
  'a:\tb\n',
  'a: b\r\n',
  'a: é\n',
  '%YAML 1.2\n---\na: 1\n',
  'a: 1\n...\n',
  '--- a: 1\n',
  '? a\n: b\n',
  'a : b\n',
  '"a": b\n',
  'a: {"b": 1}\n',
  'a: [b, ]\n',
  'a: { b }\n',
  '<<: { a: 1 }\n',
  'true: 1\n',
  '1: a\n',
  '__proto__: { a: 1 }\n',
  '- a\n- b\n',
  'a\n',
  '  a: 1\n',
  'a: 1\na: 2\n',
  'a: { b: 1, b: 2 }\n',
  'a: 1\n  b: 2\n',
  'a:\n    b: 1\n  c: 2\n',
  'a: b: c\n',
  'a: - b\n',
  'a: [b # c\n  ]\n',
  'a: "b"c\n',
  'a: "b"# c\n',
  'a:\n  - - b\n',
  'a:\n  -\n    b: 1\n',
  'a: @b\n',
  'a: `b`\n',
  'a: %b\n',
  'a: ,b\n',
];

describe('parseSimpleYaml', () => {
  test('reads every example workload file as the yaml package does', () => {
    for (const text of examples) expect(readsAsYaml(text)).toBe(true);
  });

  test.each(SIMPLE)('reads %j as the yaml package does', (text) => {
    expect(readsAsYaml(text)).toBe(true);
  });

  test.each(NOT_SIMPLE)('leaves %j to the yaml package', (text) => {
    expect(parseSimpleYaml(text, 'env')).toBeUndefined();
  });

  test('keeps the text of numbers in the named top-level mapping only', () => {
    const [{ data }] = parseSimpleYaml('env:\n  A: 1.10\n  B: { C: 1.10 }\nx: 1.10\n', 'env')!;
    expect(data).toEqual({ env: { A: '1.10', B: { C: 1.1 } }, x: 1.1 });
  });

  test('gives the line of each document\'s first key', () => {
    expect(parseSimpleYaml('# c\n\nkind: a\n---\n\n# c\nkind: b\n')!.map((d) => d.line)).toEqual([3, 7]);
  });

  test('agrees with the yaml package on thousands of edited workload files', () => {
    let seed = 42;
    // mulberry32: the same edits on every run.
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const pieces = [' ', ':', '-', '#', '{', '}', '[', ']', ',', '"', "'", '\n', '0', '.', 'a', '&', '*', '!', '|', '>', '~', '?', '%', '\\', '---\n', '- ', ': ', ' #', '\n  ', '\n- ', 'true', 'null', '0x', 'env: ', 'A: 1.0', '+', '_'];
    const edit = (text: string): string => {
      const at = Math.floor(random() * (text.length + 1));
      const kind = random();
      if (kind < 0.4) return text.slice(0, at) + pick(pieces) + text.slice(at);
      if (kind < 0.6) return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
      if (kind < 0.8) return text.slice(0, at) + pick(pieces) + text.slice(at + 1);
      const lines = text.split('\n');
      const i = Math.floor(random() * lines.length);
      lines[i] = random() < 0.5 ? ` ${lines[i]}` : lines[i].replace(/^ {1,2}/, '');
      return lines.join('\n');
    };
    const corpus = [...examples, ...SIMPLE];
    let read = 0;
    const runs = 3000;
    for (let i = 0; i < runs; i++) {
      let text = pick(corpus);
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) text = edit(text);
      if (readsAsYaml(text)) read++;
    }
    // Both paths are exercised.
    expect(read).toBeGreaterThan(runs / 10);
    expect(read).toBeLessThan(runs * 0.9);
  });
});
