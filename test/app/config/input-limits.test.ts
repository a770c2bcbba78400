import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type FileIssue, parseWorkloadFile } from '../../../app/config/workload-file';
import { limitIssues, WORKLOAD_FILE_LIMITS } from '../../../app/config/input-limits';
import { parseEnvironmentsFile, readEnvironmentsFile } from '../../../app/config/environments-file';
import { parseSimpleYaml } from '../../../app/config/simple-yaml';
import { readInputFile } from '../../../app/config/input-files';

const HEAD = 'kind: MlPipeline\nname: a\nimage: r/a:1\n';
const DEPTH = 'lists and mappings nest more than 64 levels deep, the limit; flatten the structure';
const KEY = (key: string) => `'${key}' cannot be a key: __proto__, constructor, prototype are properties of every JavaScript object, refused wherever input is read; rename or remove it`;

/**
 * The issues of a workload file, checked to be the same through both readers: as written (the
 * fast reader, when the text is simple YAML) and with a non-ASCII comment (the yaml package).
 */
function issuesOf(text: string): FileIssue[] {
  const viaYaml = `${text}# ü\n`;
  expect(parseSimpleYaml(viaYaml)).toBeUndefined();
  const fast = parseWorkloadFile('w.yaml', text);
  const yaml = parseWorkloadFile('w.yaml', viaYaml);
  expect(fast.issues).toEqual(yaml.issues);
  expect(fast.documents.map((d) => d.data)).toEqual(yaml.documents.map((d) => d.data));
  return fast.issues;
}

/** `depth` flow lists inside each other. */
const flowLists = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** A block mapping `depth` levels deep below the document's own mapping, one level per line. */
function blockMaps(depth: number): string {
  let text = 'x:\n';
  for (let i = 1; i < depth; i++) text += `${' '.repeat(i)}k:\n`;
  return `${text}${' '.repeat(depth)}v: 1\n`;
}

describe('nesting depth', () => {
  test('64 levels are read, by the fast reader', () => {
    const text = `${HEAD}labels: ${flowLists(63)}\n`;
    expect(parseSimpleYaml(text)).toBeDefined();
    expect(issuesOf(text)).toEqual([]);
  });

  test.each([65, 900, 10_000, 100_000])('fails when flow lists nest %p levels deep, at the line, without running out of stack', (depth) => {
    expect(issuesOf(`${HEAD}labels: ${flowLists(depth - 1)}\n`)).toEqual([{ file: 'w.yaml', line: 4, path: [], message: DEPTH }]);
  });

  test('fails when block mappings nest too deep, at the line of the first mapping beyond the limit', () => {
    // x's mapping (level 2) starts on line 5, level 65 on line 5 + 63.
    expect(issuesOf(`${HEAD}${blockMaps(200)}`)).toEqual([{ file: 'w.yaml', line: 5 + 63, path: [], message: DEPTH }]);
  });

  test('fails when block lists nest 10,000 levels deep on one line', () => {
    expect(issuesOf(`${HEAD}args:\n${'- '.repeat(10_000)}a\n`)).toEqual([{ file: 'w.yaml', line: 5, path: [], message: DEPTH }]);
  });

  test('fails when an alias makes a mapping hold itself', () => {
    expect(issuesOf(`${HEAD}labels: &x { a: *x }\n`)).toEqual([{
      file: 'w.yaml', line: 4, path: ['labels', 'a'], message: 'refers to a list or mapping that holds it (a YAML alias to an enclosing anchor); write the value out',
    }]);
  });
});

describe('keys JavaScript objects already have', () => {
  test.each(['__proto__', 'constructor', 'prototype'])('fails on %p as a label key, block or flow', (key) => {
    expect(issuesOf(`${HEAD}labels: { team: a, ${key}: x }\n`)).toEqual([{ file: 'w.yaml', line: 4, path: ['labels', key], message: KEY(key) }]);
    expect(issuesOf(`${HEAD}labels:\n  team: a\n  ${key}: x\n`)).toEqual([{ file: 'w.yaml', line: 6, path: ['labels', key], message: KEY(key) }]);
  });

  test('fails on __proto__ as a resource limit, instead of a message about [object Object]', () => {
    expect(issuesOf(`${HEAD}resources: { limits: { __proto__: 1 } }\n`)).toEqual([{ file: 'w.yaml', line: 4, path: ['resources', 'limits', '__proto__'], message: KEY('__proto__') }]);
  });

  test('fails on one in an override, and in a list item', () => {
    expect(issuesOf(`${HEAD}environments:\n  prod:\n    labels: { constructor: x }\nenv:\n  A: "1"\n`)).toEqual([
      { file: 'w.yaml', line: 6, path: ['environments', 'prod', 'labels', 'constructor'], message: KEY('constructor') },
    ]);
    expect(issuesOf(`${HEAD}autoscaling:\n  triggers:\n    - type: kafka\n      prototype: 1\n`)).toEqual([
      { file: 'w.yaml', line: 7, path: ['autoscaling', 'triggers', 0, 'prototype'], message: KEY('prototype') },
    ]);
  });

  test('fails on one in the environments file', () => {
    const { issues } = parseEnvironmentsFile('environments.yaml', 'environments:\n  dev:\n    defaults:\n      labels:\n        __proto__: x\n');
    expect(issues).toEqual([{ file: 'environments.yaml', line: 5, path: ['environments', 'dev', 'defaults', 'labels', '__proto__'], message: KEY('__proto__') }]);
  });

  test('a key that only looks like one is read', () => {
    expect(issuesOf(`${HEAD}labels: { proto: a, constructors: b, __proto: c }\n`)).toEqual([]);
  });
});

describe('strings and lists', () => {
  const limit = WORKLOAD_FILE_LIMITS.stringChars;

  test('a value of 1.5 MiB is read; one character more fails at its field', () => {
    expect(issuesOf(`${HEAD}env:\n  BIG: ${'x'.repeat(limit)}\n`)).toEqual([]);
    expect(issuesOf(`${HEAD}env:\n  OK: a\n  BIG: ${'x'.repeat(limit + 1)}\n`)).toEqual([{
      file: 'w.yaml', line: 6, path: ['env', 'BIG'],
      message: `is ${limit + 1} characters long, above the limit of ${limit} (1.5 MiB, the most the API server stores in one object); keep large data in a volume or an object store, not in a field`,
    }]);
  });

  test('a list of 10,000 items is read; one more fails at its field', () => {
    const items = (n: number) => Array.from({ length: n }, () => 'a').join(', ');
    expect(issuesOf(`${HEAD}args: [${items(10_000)}]\n`)).toEqual([]);
    expect(issuesOf(`${HEAD}args: [${items(10_001)}]\n`)).toEqual([{ file: 'w.yaml', line: 4, path: ['args'], message: 'has 10001 items, above the limit of 10000 per list; shorten the list' }]);
  });

  const keys = (n: number) => Array.from({ length: n }, (_, i) => `  K${i}: a`).join('\n');

  test('a mapping of 1,000 keys is read; one more fails at its field', () => {
    expect(issuesOf(`${HEAD}env:\n${keys(1_000)}\n`)).toEqual([]);
    expect(issuesOf(`${HEAD}env:\n${keys(1_001)}\n`)).toEqual([{ file: 'w.yaml', line: 4, path: ['env'], message: 'has 1001 keys, above the limit of 1000 per mapping; split the mapping' }]);
  });

  test('fails on 50,000 keys before the yaml package checks each against every other (half a minute)', () => {
    const started = Date.now();
    const deepKeys = keys(50_000).replace(/^/gm, '    ');
    const { issues } = parseWorkloadFile('w.yaml', `${HEAD}environments:\n  prod:\n    env:\n${deepKeys}\n`);
    expect(issues).toEqual([{ file: 'w.yaml', line: 6, path: ['environments', 'prod', 'env'], message: 'has 50000 keys, above the limit of 1000 per mapping; split the mapping' }]);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 120_000);

  test('limitIssues walks lists and mappings of any depth within the limit', () => {
    expect(limitIssues({ a: [{ b: 'x'.repeat(10) }] }, { ...WORKLOAD_FILE_LIMITS, stringChars: 9 })).toEqual([
      { path: ['a', 0, 'b'], message: expect.stringContaining('is 10 characters long, above the limit of 9') },
    ]);
  });
});

describe('reading a file', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-read-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('fails on a file above the size limit, naming its size, after reading one byte more than the limit', () => {
    const file = path.join(dir, 'big.yaml');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 5 * 1024 * 1024);
    expect(readInputFile(file, 4 * 1024 * 1024, 'a workload file')).toEqual({ cause: 'it is 5 MiB, above the limit of 4 MiB for a workload file; split it into smaller files' });
  });

  test('reads a file at the size limit', () => {
    const file = path.join(dir, 'ok.yaml');
    fs.writeFileSync(file, 'a: ü\n');
    expect(readInputFile(file, 6, 'a workload file')).toEqual({ text: 'a: ü\n' });
  });

  test('fails on a device that never ends, and on a folder, by what they are', () => {
    expect(readInputFile('/dev/zero', 1024, 'a workload file')).toEqual({ cause: 'it is a character device, not a regular file; replace it with the file it stands for, or remove it' });
    expect(readInputFile(dir, 1024, 'a workload file')).toEqual({ cause: 'it is a folder, not a regular file; replace it with the file it stands for, or remove it' });
  });

  test('fails on a FIFO that a writer holds open without writing, without waiting for data', () => {
    const file = path.join(dir, 'w.yaml');
    expect(spawnSync('mkfifo', [file]).status).toBe(0);
    const writer = spawn('sh', ['-c', 'exec 3>"$0"; sleep 5', file], { stdio: 'ignore' });
    try {
      // The writer opens the FIFO once a reader does; until then a non-waiting open reads nothing.
      for (let i = 0; i < 2; i++) expect(readInputFile(file, 1024, 'a workload file')).toEqual({ cause: 'it is a FIFO (named pipe), not a regular file; replace it with the file it stands for, or remove it' });
    } finally {
      writer.kill();
    }
  });

  test('fails on an environments file that is a FIFO, without waiting for a writer', () => {
    const file = path.join(dir, 'environments.yaml');
    expect(spawnSync('mkfifo', [file]).status).toBe(0);
    expect(readEnvironmentsFile(file, 'environments.yaml')).toEqual({
      issues: [{ file: 'environments.yaml', path: [], message: 'cannot be read: it is a FIFO (named pipe), not a regular file; replace it with the file it stands for, or remove it' }],
    });
  });
});
