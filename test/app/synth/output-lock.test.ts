import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFleet } from '../../../bench/run';
import { LOCK_FILE } from '../../../app/synth/output-lock';
import { compileSynthProgram, snapshotFolder, useTempProject } from '../../helpers';

const SERVER = 'kind: ModelServing\nname: fraud-detector\nnamespace: ml-serving\nimage: registry.example.com/ml/fraud-detector:1.4.2\nport: 8080\n';

const project = useTempProject('cdk8s-ml-lock-');
const lockFile = () => path.join(project.root, 'dist', LOCK_FILE);

/** A lock file as a synth of `pid` on `host` writes it. */
function holdLock(pid: number, host = os.hostname()): void {
  project.write(`dist/${LOCK_FILE}`, `${JSON.stringify({ pid, host, since: '2026-12-05T10:00:00.000Z', token: 'feedc0de' })}\n`);
}

describe('the output folder lock', () => {
  test('a lock held by a running synth fails the run at once with CDK8S_ML_LOCK_WAIT=0, naming the holder', () => {
    project.write('workloads/server.yaml', SERVER);
    holdLock(process.pid);
    const result = project.synth({ CDK8S_ML_LOCK_WAIT: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe([
      `cdk8s-ml: the output folder is in use: dist/${LOCK_FILE} is held by the synth of process ${process.pid} on host ${os.hostname()}, started 2026-12-05T10:00:00.000Z; waited 0 s (CDK8S_ML_LOCK_WAIT). If no synth runs there any more, delete dist/${LOCK_FILE}`,
      'cdk8s-ml: synth failed; nothing was written',
      '',
    ].join('\n'));
    expect(fs.readdirSync(path.join(project.root, 'dist'))).toEqual([LOCK_FILE]);
  });

  test('waits for the holder, saying so, then fails when the wait is over', () => {
    project.write('workloads/server.yaml', SERVER);
    // A lock of another host cannot be checked: it is waited for like a live one.
    holdLock(1, 'build-agent-7');
    const started = Date.now();
    const result = project.synth({ CDK8S_ML_LOCK_WAIT: '1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cdk8s-ml: waiting up to 1 s for the synth of process 1 on host build-agent-7, started 2026-12-05T10:00:00.000Z, which holds dist/ (CDK8S_ML_LOCK_WAIT)\n');
    expect(result.stderr).toContain('waited 1 s (CDK8S_ML_LOCK_WAIT)');
  });

  test('a lock whose process has ended is stale: taken over, and removed after the run', () => {
    project.write('workloads/server.yaml', SERVER);
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    holdLock(Number(ended.stdout));
    const result = project.synth({ CDK8S_ML_LOCK_WAIT: '0' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(fs.readdirSync(path.join(project.root, 'dist'))).toEqual(['ml-serving.fraud-detector.k8s.yaml']);
  });

  test('is released after a failed run, and a fresh output folder the run made is removed again', () => {
    project.write('workloads/server.yaml', SERVER.replace('1.4.2', 'latest'));
    expect(project.synth().code).toBe(1);
    expect(fs.existsSync(path.join(project.root, 'dist'))).toBe(false);
    project.write('dist/keep.txt', 'mine\n');
    expect(project.synth().code).toBe(1);
    expect(fs.readdirSync(path.join(project.root, 'dist'))).toEqual(['keep.txt']);
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  test('a wait that is not a number of seconds', () => {
    project.write('workloads/server.yaml', SERVER);
    const result = project.synth({ CDK8S_ML_LOCK_WAIT: 'forever' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cdk8s-ml: CDK8S_ML_LOCK_WAIT: 'forever' is not a number of seconds; set a whole number such as 120 (the default), or 0 to fail at once");
  });
});

describe('two synths into one folder at once', () => {
  let program = '';
  let base = '';
  beforeAll(() => {
    program = compileSynthProgram();
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-two-'));
    // Two projects whose outputs have the same file names and differ in every file.
    for (const [name, version] of [['a', '1'], ['b', '2']]) {
      writeFleet(path.join(base, name, 'workloads'), 60);
      for (const file of fs.readdirSync(path.join(base, name, 'workloads'))) {
        const full = path.join(base, name, 'workloads', file);
        fs.writeFileSync(full, fs.readFileSync(full, 'utf8').replace(/:1\.0\.(\d+)\n/, `:${version}.0.$1\n`));
      }
    }
  });
  afterAll(() => {
    fs.rmSync(program, { force: true });
    fs.rmSync(base, { recursive: true, force: true });
  });

  function synthProcess(project: string, outdir: string): Promise<{ code: number | null; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_OUTDIR: outdir };
    delete env.INIT_CWD;
    const child = spawn(process.execPath, [program], { cwd: project, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  }

  let overlapped = 0;

  test.each([1, 2, 3])('never interleave: one waits for the other, and the folder is one run\'s output (try %d)', async (attempt) => {
    const outputs: Record<string, string>[] = [];
    for (const name of ['a', 'b']) {
      const alone = path.join(base, `alone-${name}-${attempt}`);
      outputs.push(await synthProcess(path.join(base, name), alone).then((r) => {
        expect(r.code).toBe(0);
        return snapshotFolder(alone);
      }));
    }
    // A new output folder, which both create at once.
    const outdir = path.join(base, `both-${attempt}`);
    const [a, b] = await Promise.all([synthProcess(path.join(base, 'a'), outdir), synthProcess(path.join(base, 'b'), outdir)]);
    expect([a.code, a.stderr, b.code, b.stderr]).toEqual([0, expect.not.stringContaining('failed'), 0, expect.not.stringContaining('failed')]);
    // On a busy machine one may end before the other starts: then neither waits.
    const waited = [a.stderr, b.stderr].filter((text) => text.includes('cdk8s-ml: waiting up to 120 s for the synth of process'));
    expect(waited.length).toBeLessThanOrEqual(1);
    overlapped += waited.length;
    expect(outputs).toContainEqual(snapshotFolder(outdir));
  }, 60_000);

  test('in at least one try the two ran at once, so that one waited for the other', () => {
    expect(overlapped).toBeGreaterThan(0);
  });
});
