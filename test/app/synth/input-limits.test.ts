import * as fs from 'node:fs';
import * as path from 'node:path';
import { useTempProject } from '../../helpers';

// Synth reads bounded input: beyond a limit is an error naming the file, line and field,
// and nothing is written; never a stack trace, a crash, or output the API server refuses.

const HEAD = 'kind: MlPipeline\nname: worker\nimage: registry.example.com/ml/worker:1.0.0\n';
const KEY = (key: string) => `'${key}' cannot be a key: __proto__, constructor, prototype are properties of every JavaScript object, refused wherever input is read; rename or remove it`;

const project = useTempProject('cdk8s-ml-limits-');
const { write, synth } = project;

function expectFailure(lines: string[], env: NodeJS.ProcessEnv = {}): void {
  const result = synth(env);
  expect(result.stderr).toBe(`${lines.join('\n')}\ncdk8s-ml: synth failed with ${lines.length} problem(s); nothing was written\n`);
  expect(result.code).toBe(1);
  expect(fs.existsSync(path.join(project.root, 'dist/worker.k8s.yaml'))).toBe(false);
}

describe('synth with input beyond its limits', () => {
  test('fails on __proto__ as a resource limit, at the field', () => {
    write('workloads/w.yaml', `${HEAD}resources: { limits: { __proto__: 1 } }\n`);
    expectFailure([`workloads/w.yaml:4: resources.limits.__proto__: ${KEY('__proto__')}`]);
  });

  test('fails on __proto__ as a label key, which was dropped silently', () => {
    write('workloads/w.yaml', `${HEAD}labels:\n  __proto__: x\n`);
    expectFailure([`workloads/w.yaml:5: labels.__proto__: ${KEY('__proto__')}`]);
  });

  test('fails on constructor in an environment override and in the environments file', () => {
    write('environments.yaml', 'environments:\n  dev:\n    overrides:\n      labels: { prototype: x }\n  prod: {}\n');
    write('workloads/w.yaml', `${HEAD}environments:\n  prod:\n    env: { constructor: x }\n`);
    expectFailure([`environments.yaml:4: environments.dev.overrides.labels.prototype: ${KEY('prototype')}`]);
    write('environments.yaml', 'environments:\n  dev: {}\n  prod: {}\n');
    expectFailure([`workloads/w.yaml:6: environments.prod.env.constructor: ${KEY('constructor')}`]);
  });

  test('fails on an env value too long for the API server, at the field, before building', () => {
    write('workloads/w.yaml', `${HEAD}env:\n  BLOB: ${'x'.repeat(2 * 1024 * 1024)}\n`);
    expectFailure([
      'workloads/w.yaml:5: env.BLOB: is 2097152 characters long, above the limit of 1572864 (1.5 MiB, the most the API server stores in one object); keep large data in a volume or an object store, not in a field',
    ]);
  });

  test('fails on a workload file of 50 MB without reading it', () => {
    write('workloads/w.yaml', `${HEAD}env:\n  BLOB: x\n`);
    fs.truncateSync(path.join(project.root, 'workloads/w.yaml'), 50 * 1000 * 1000);
    expectFailure(['workloads/w.yaml: cannot be read: it is 47.7 MiB, above the limit of 4 MiB for a workload file; split it into smaller files']);
  });

  test('fails on an args list of 10,001 items, at the field', () => {
    write('workloads/w.yaml', `${HEAD}args:\n${'  - a\n'.repeat(10_001)}`);
    expectFailure(['workloads/w.yaml:4: args: has 10001 items, above the limit of 10000 per list; shorten the list']);
  });

  test('fails on nesting 10,000 levels deep, at the line, without a stack trace', () => {
    write('workloads/w.yaml', `${HEAD}labels: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    expectFailure(['workloads/w.yaml:4: lists and mappings nest more than 64 levels deep, the limit; flatten the structure']);
  });

  test('fails on an environments file above the size limit', () => {
    write('environments.yaml', 'environments:\n  dev: {}\n');
    fs.truncateSync(path.join(project.root, 'environments.yaml'), 5 * 1024 * 1024);
    write('workloads/w.yaml', HEAD);
    expectFailure(['environments.yaml: cannot be read: it is 5 MiB, above the limit of 4 MiB for an environments file; split it into smaller files']);
  });
});
