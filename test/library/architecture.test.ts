import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The import rules of .dependency-cruiser.cjs (no cycle between files of lib/ and app/,
// the library never imports the app, the shared vocabulary imports no feature folder),
// checked with dependency-cruiser.

const repoRoot = path.resolve(__dirname, '../..');
const CONFIG = path.join(repoRoot, '.dependency-cruiser.cjs');

/** dependency-cruiser's report on `folders` of the project in `cwd`. */
function cruise(cwd: string, folders: readonly string[]) {
  const result = spawnSync(path.join(repoRoot, 'node_modules/.bin/depcruise'), [...folders, '--config', CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, report: `${result.stdout}${result.stderr}` };
}

test('lib/ and app/ keep the import rules: no cycle, the library alone, the vocabulary at the bottom', () => {
  const { code, report } = cruise(repoRoot, ['lib', 'app']);
  expect(report).toContain('no dependency violations found');
  expect(code).toBe(0);
});

test('the check fails on a cycle, naming its files, on the library importing the app, and on an arrow back up', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-deps-'));
  try {
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    write('tsconfig.json', '{ "compilerOptions": { "module": "commonjs" } }');
    write('lib/autoscaling/a.ts', "import { b } from './b';\nexport const a = () => b;\n");
    write('lib/autoscaling/b.ts', "import { a } from './a';\nexport const b = () => a;\n");
    write('lib/core/names.ts', "import { a } from '../autoscaling/a';\nimport { run } from '../../app/run';\nexport const n = [a, run];\n");
    write('app/run.ts', 'export const run = 1;\n');
    write('lib/workload/resolve.ts', 'export const resolve = 1;\n');
    write('lib/pod/template.ts', "import { resolve } from '../workload/resolve';\nexport const t = resolve;\n");
    const { code, report } = cruise(dir, ['lib', 'app']);
    expect(code).not.toBe(0);
    expect(report).toMatch(/no-circular: lib\/autoscaling\/a\.ts →\s+lib\/autoscaling\/b\.ts →\s+lib\/autoscaling\/a\.ts/);
    expect(report).toContain('library-stands-alone: lib/core/names.ts → app/run.ts');
    expect(report).toContain('vocabulary-at-the-bottom: lib/core/names.ts → lib/autoscaling/a.ts');
    expect(report).toContain('features-below-the-workload: lib/pod/template.ts → lib/workload/resolve.ts');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
