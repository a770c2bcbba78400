import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSimulate } from '../../../app/simulate/run-simulate';

// runSimulate in-process, as simulate.ts calls it: the project is the repo, the paths the user
// gives are relative to a folder of their own (cwd), and messages name files as the user gave them.

const root = path.resolve(__dirname, '../../..');
let work = '';

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-run-simulate-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function simulate(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runSimulate({
    argv,
    env: { INIT_CWD: work },
    projectDir: root,
    cwd: work,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

function write(name: string, text: string): string {
  fs.mkdirSync(path.dirname(path.join(work, name)), { recursive: true });
  fs.writeFileSync(path.join(work, name), text);
  return name;
}

const FRAUD = ['fraud-detector', '--environment', 'prod'];

describe('paths the user gives are relative to where they typed the command, and named as given', () => {
  test('a bad CSV is named FILE:LINE as given, not by its absolute path', async () => {
    write('traces/bad.csv', '0,10\n15,ten\n');
    const r = await simulate(...FRAUD, '--load', 'traces/bad.csv');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cdk8s-ml simulate: traces/bad.csv:2: the value 'ten' is not a number");
    expect(r.stderr).not.toContain(work);
  });

  test('a --load file missing from the user\'s folder is not read from the project folder', async () => {
    // package.json is in the project (the process's folder), not in the user's.
    expect(fs.existsSync(path.join(root, 'package.json'))).toBe(true);
    const r = await simulate(...FRAUD, '--load', 'package.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cdk8s-ml simulate: package.json: cannot be read: it does not exist; check the path');
    expect(r.stderr).not.toContain('Prometheus');
  });

  test('a missing --metric file is named as given', async () => {
    const r = await simulate('llm-server', '--environment', 'prod', '--load', 'constant:1', '--metric', 's0-prometheus=queue/missing.csv');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cdk8s-ml simulate: queue/missing.csv: cannot be read: it does not exist');
    expect(r.stderr).not.toContain(work);
  });

  test('a bad --metric file is named FILE:LINE as given', async () => {
    write('queue.csv', '0,1\n15,-4\n');
    const r = await simulate('llm-server', '--environment', 'prod', '--load', 'constant:1', '--metric', 's0-prometheus=queue.csv');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cdk8s-ml simulate: queue.csv:2: the value -4 is negative');
  });

  test('a CSV load in the user\'s folder is read, and the chart\'s title names it as given', async () => {
    write('traces/ok.csv', 'time,value\n0,100\n600,400\n');
    const r = await simulate(...FRAUD, '--load', 'traces/ok.csv', '--pod-capacity', '20', '--json', 'out/ok.json');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('wrote out/ok.json and out/ok.svg');
    const svg = fs.readFileSync(path.join(work, 'out/ok.svg'), 'utf8');
    expect(svg).toContain('traces/ok.csv');
    expect(svg).not.toContain(work);
  });

  test('a missing --compare file says it does not exist, not that it was removed while being read', async () => {
    const r = await simulate(...FRAUD, '--load', 'constant:1', '--compare', 'other/fraud-detector.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cdk8s-ml simulate: --compare other/fraud-detector.yaml: cannot be read: it does not exist; check the path');
    expect(r.stderr).not.toContain('removed while being read');
  });
});

describe('an empty flag value is a usage error, not a path', () => {
  test.each([['--load='], ['--json='], ['--chart=']])('%s', async (flag) => {
    const argv = flag === '--load=' ? [...FRAUD, flag] : [...FRAUD, '--load', 'constant:1', flag];
    const r = await simulate(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cdk8s-ml simulate: ${flag.slice(0, -1)} needs a value`);
    expect(r.stderr).toContain('usage: npm run simulate');
  });
});
