import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// app/launch.cjs, what npm run synth, validate and simulate run: compiles only when a source
// changed, runs synth from V8's code cache, passes the arguments through.
const REPO = path.resolve(__dirname, '../..');
let root = '';

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

function launch(entry: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [path.join(root, 'app/launch.cjs'), entry, ...args], { cwd: root, env: { ...process.env, CDK8S_ML_DEBUG: '', ...env }, encoding: 'utf8' });
}

const mtime = (file: string) => fs.statSync(path.join(root, file)).mtimeMs;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-launch-'));
  fs.mkdirSync(path.join(root, 'app'));
  fs.copyFileSync(path.join(REPO, 'app/launch.cjs'), path.join(root, 'app/launch.cjs'));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  write('package-lock.json', '{}\n');
  write('tsconfig.json', '{}\n');
  write('lib/greeting.ts', "export const greeting = 'hello';\n");
  write('main.ts', "import { greeting } from './lib/greeting';\nif (process.argv[2] === 'fail') throw new Error('a bug');\nprocess.stdout.write(`${greeting} ${JSON.stringify(process.argv.slice(2))}\\n`);\n");
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('compiles once, then runs the compiled program until a source changes', () => {
  expect(launch('main.ts', ['a', '--b']).stdout).toBe('hello ["a","--b"]\n');
  const compiled = mtime('.build/main.js');
  expect(fs.existsSync(path.join(root, '.build/main.js.cache'))).toBe(true);
  expect(launch('main.ts').stdout).toBe('hello []\n');
  expect(mtime('.build/main.js')).toBe(compiled);
  // An edit to a file the program was compiled from compiles it again.
  write('lib/greeting.ts', "export const greeting = 'hi';\n");
  expect(launch('main.ts').stdout).toBe('hi []\n');
  expect(mtime('.build/main.js')).not.toBe(compiled);
});

test('a code cache made from another compile of the program is not used, even when the program is as long', () => {
  launch('main.ts');
  const oldCache = fs.readFileSync(path.join(root, '.build/main.js.cache'));
  write('lib/greeting.ts', "export const greeting = 'HELLO';\n");
  expect(launch('main.ts').stdout).toBe('HELLO []\n');
  fs.writeFileSync(path.join(root, '.build/main.js.cache'), oldCache);
  expect(launch('main.ts').stdout).toBe('HELLO []\n');
  expect(launch('main.ts').stdout).toBe('HELLO []\n');
});

test('a source changed while it compiled (an mtime not before the compile) compiles again next time', () => {
  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(root, 'lib/greeting.ts'), later, later);
  launch('main.ts');
  expect(fs.existsSync(path.join(root, '.build/main.stamp'))).toBe(false);
  const first = mtime('.build/main.js');
  launch('main.ts');
  expect(mtime('.build/main.js')).not.toBe(first);
});

test('a code cache V8 rejects is replaced, and the program still runs', () => {
  launch('main.ts');
  fs.writeFileSync(path.join(root, '.build/main.js.cache'), 'not a cache');
  expect(launch('main.ts').stdout).toBe('hello []\n');
  expect(fs.readFileSync(path.join(root, '.build/main.js.cache')).length).toBeGreaterThan(100);
});

test('a compile error exits 1 with esbuild\'s message and keeps the last program', () => {
  launch('main.ts');
  write('lib/greeting.ts', 'export const greeting = ;\n');
  const result = launch('main.ts');
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('lib/greeting.ts');
  expect(fs.readdirSync(path.join(root, '.build')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  write('lib/greeting.ts', "export const greeting = 'back';\n");
  expect(launch('main.ts').stdout).toBe('back []\n');
});

test('the temporary files of a run killed while it wrote are removed; those of a running one stay', () => {
  launch('main.ts');
  fs.writeFileSync(path.join(root, '.build/main.js.999999.tmp'), 'half');
  fs.writeFileSync(path.join(root, `.build/main.js.cache.${process.pid}.tmp`), 'being written');
  expect(launch('main.ts').stdout).toBe('hello []\n');
  expect(fs.existsSync(path.join(root, '.build/main.js.999999.tmp'))).toBe(false);
  expect(fs.existsSync(path.join(root, `.build/main.js.cache.${process.pid}.tmp`))).toBe(true);
});

test('with CDK8S_ML_DEBUG=1, stack traces name the TypeScript source', () => {
  expect(launch('main.ts', ['fail'], { CDK8S_ML_DEBUG: '1' }).stderr).toMatch(/main\.ts:2/);
});

test('an unknown entry is a usage error', () => {
  const result = launch('other.ts');
  expect(result.status).toBe(2);
  expect(result.stderr).toBe('usage: node app/launch.cjs main.ts|validate.ts|simulate.ts [ARGS...]\n');
});
