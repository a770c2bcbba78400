import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

// The package as a user gets it: packed, installed from the tarball into a new app outside
// this repository with the current cdk8s 2.x and constructs 10.x, compiled with that app's
// tsc and run with plain node, from CommonJS and from an ES module.

const repoRoot = path.resolve(__dirname, '../..');

/** The TypeScript example of the README's "Using the constructs from TypeScript". */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Using the constructs from TypeScript'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README: no ```ts example in "Using the constructs from TypeScript"');
  return match[1];
}

/** Runs a command, failing with its output when it fails. */
function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 240_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Kinds and names of the objects in the YAML files of `dir`. */
function objectsIn(dir: string): string[] {
  return fs.readdirSync(dir).flatMap((file) => parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map((doc) => {
    const object = doc.toJS() as { kind: string; metadata: { name: string } };
    return `${object.kind}/${object.metadata.name}`;
  })).sort();
}

let work: string;
let consumer: string;
let tarballFiles: string[];

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-consumer-'));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], repoRoot)) as [{ filename: string; files: { path: string }[] }];
  tarballFiles = packed[0].files.map((file) => file.path);
  consumer = path.join(work, 'app');
  fs.mkdirSync(consumer);
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(work, packed[0].filename), 'cdk8s@2', 'constructs@10', 'typescript@5.9', '@types/node@20'], consumer);
}, 600_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the tarball holds only the compiled library, its README and licence', () => {
  const outside = tarballFiles.filter((file) => !/^build\/lib\/.+\.(js|d\.ts|js\.map|d\.ts\.map)$/.test(file));
  expect(outside.sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
  expect(tarballFiles).toContain('build/lib/index.js');
  expect(tarballFiles).toContain('build/lib/index.d.ts');
  // Compiled from today's sources only: a module deleted or moved in lib/ must not ship from an old build.
  const withoutSource = tarballFiles.filter((file) => file.endsWith('.js'))
    .filter((file) => !fs.existsSync(path.join(repoRoot, file.replace(/^build\//, '').replace(/\.js$/, '.ts'))));
  expect(withoutSource).toEqual([]);
});

test('every package the compiled library requires is CommonJS, so that jest\'s module system (which runs no ES module) loads it', () => {
  const lib = path.join(consumer, 'node_modules', 'cdk8s-ml', 'build', 'lib');
  const packages = new Set<string>();
  for (const file of fs.readdirSync(lib, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
    for (const [, id] of fs.readFileSync(path.join(lib, file), 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)) {
      if (id.startsWith('node:') || builtinModules.includes(id)) continue;
      packages.add(id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]);
    }
  }
  expect(packages.size).toBeGreaterThan(3);
  const esm = [...packages].filter((name) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(consumer, 'node_modules', name, 'package.json'), 'utf8')) as { type?: string; main?: string; exports?: unknown };
    const requireCondition = JSON.stringify(manifest.exports ?? {}).includes('"require"');
    return manifest.type === 'module' && !requireCondition && !String(manifest.main ?? '').endsWith('.cjs');
  });
  expect(esm).toEqual([]);
});

test('the README example compiles with tsc in a new CommonJS app, runs with node and writes the workloads', () => {
  fs.writeFileSync(path.join(consumer, 'my-app.ts'), readmeExample());
  fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true, types: ['node'] }, files: ['my-app.ts'] }));
  run(path.join(consumer, 'node_modules/.bin/tsc'), ['-p', '.'], consumer);
  const result = spawnSync(process.execPath, ['my-app.js'], { cwd: consumer, encoding: 'utf8' });
  expect(result.status).toBe(0);
  // The example rethrows anything but a WorkloadPropsError, so exit code 0 and its message prove the class.
  expect(result.stderr).toContain("invalid props for workload 'broken':\n  autoscaling.maxReplicas: 'maxReplicas' (2) must be >= 'minReplicas' (5); raise maxReplicas or lower minReplicas\n");
  const objects = objectsIn(path.join(consumer, 'out'));
  for (const object of ['Deployment/fraud-detector', 'Service/fraud-detector', 'HorizontalPodAutoscaler/fraud-detector', 'Deployment/feature-extractor', 'HorizontalPodAutoscaler/feature-extractor']) {
    expect(objects).toContain(object);
  }
  const yaml = fs.readFileSync(path.join(consumer, 'out', fs.readdirSync(path.join(consumer, 'out'))[0]), 'utf8');
  expect(yaml).toContain('priorityClassName: ml-critical');
  expect(yaml).toContain('image: registry.example.com/ml/fraud-detector:1.4.2');
}, 120_000);

test('an ES module imports the constructs by name and synthesizes', () => {
  fs.writeFileSync(path.join(consumer, 'esm.mjs'), `import { App, Chart } from 'cdk8s';
import { ModelServing, MlPipeline, WorkloadPropsError } from 'cdk8s-ml';
const app = new App({ outdir: 'out-esm' });
const chart = new Chart(app, 'esm');
new ModelServing(chart, 'Server', { name: 'server', image: 'registry.example.com/server:1.0.0', resources: { requests: { cpu: '250m', memory: '512Mi' } } });
new MlPipeline(chart, 'Worker', { name: 'worker', image: 'registry.example.com/worker:1.0.0', resources: { requests: { cpu: '250m', memory: '512Mi' } } });
try {
  new ModelServing(chart, 'Bad', { name: 'Bad_Name', image: 'registry.example.com/server:1.0.0' });
} catch (error) {
  console.log(error instanceof WorkloadPropsError ? 'WorkloadPropsError' : 'other');
}
app.synth();
`);
  const stdout = execFileSync(process.execPath, ['esm.mjs'], { cwd: consumer, encoding: 'utf8' });
  expect(stdout.trim()).toBe('WorkloadPropsError');
  expect(objectsIn(path.join(consumer, 'out-esm'))).toEqual(expect.arrayContaining(['Deployment/server', 'Service/server', 'Deployment/worker']));
}, 60_000);

test('the README example, copied into this project, passes its lint', () => {
  const result = spawnSync(path.join(repoRoot, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', 'my-app.ts'], { cwd: repoRoot, input: readmeExample(), encoding: 'utf8' });
  expect(result.stdout).toBe('');
  expect(result.status).toBe(0);
}, 60_000);
