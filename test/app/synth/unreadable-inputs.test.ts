import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesBelow, useTempProject } from '../../helpers';
import { runCommand, unprivilegedUser } from '../../run-command';

// Every entry of the workloads folder that may hold a workload and cannot be read is an error
// naming it and the cause; synth then writes nothing, so that no workload's manifests are removed.

const server = (name: string) => `kind: ModelServing\nname: ${name}\nimage: registry.example.com/ml/${name}:1.0.0\n`;

const project = useTempProject('cdk8s-ml-unreadable-');
const { write, synth } = project;
const at = (file: string) => path.join(project.root, file);

/** Every file below the output folder with its content. */
function output(): Record<string, string> {
  return Object.fromEntries(filesBelow(at('dist')).map((f) => [f, fs.readFileSync(at(`dist/${f}`), 'utf8')]));
}

/** Synthesizes two workloads into dist/ and returns what was written. */
function previousOutput(): Record<string, string> {
  write('workloads/a.yaml', server('a'));
  write('workloads/b.yaml', server('b'));
  expect(synth().code).toBe(0);
  return output();
}

function expectFailure(result: { code: number | null; stderr: string }, lines: string[]): void {
  expect(result.code).toBe(1);
  for (const line of lines) expect(result.stderr).toContain(line);
  expect(result.stderr).toMatch(/cdk8s-ml: synth failed with \d+ problem\(s\); nothing was written\n$/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('a workload entry that cannot be read', () => {
  test('fails when a workload file is a link to a missing file, and keeps its manifests', () => {
    const before = previousOutput();
    fs.rmSync(at('workloads/b.yaml'));
    fs.symlinkSync('/nonexistent.yaml', at('workloads/b.yaml'));
    expectFailure(synth(), ["workloads/b.yaml: cannot be read: it is a symbolic link to '/nonexistent.yaml', which does not exist (ENOENT); fix the link or remove it"]);
    expect(output()).toEqual(before);
  });

  test('fails when a linked folder is gone (a dangling link of any name)', () => {
    write('workloads/a.yaml', server('a'));
    fs.symlinkSync('../team-b', at('workloads/team-b'));
    expectFailure(synth(), ["workloads/team-b: cannot be read: it is a symbolic link to '../team-b', which does not exist (ENOENT)"]);
  });

  test('fails when a workload file is a FIFO, without opening it, and keeps its manifests', () => {
    const before = previousOutput();
    fs.rmSync(at('workloads/b.yaml'));
    mkfifo(at('workloads/b.yaml'));
    // In a child process: were the FIFO opened for reading, it would wait for a writer forever.
    const result = runCommand('synth', { cwd: project.root, timeoutMs: 30_000 });
    expect(result.timedOut).toBe(false);
    expectFailure(result, ['workloads/b.yaml: cannot be read: it is a FIFO (named pipe), not a regular file; replace it with the file it stands for, or remove it']);
    expect(output()).toEqual(before);
  });

  test('fails when a link loop is anywhere in the folder', () => {
    write('workloads/a.yaml', server('a'));
    fs.mkdirSync(at('workloads/team/deep'), { recursive: true });
    fs.symlinkSync('loop-b', at('workloads/team/deep/loop-a'));
    fs.symlinkSync('loop-a', at('workloads/team/deep/loop-b'));
    fs.symlinkSync('self.yaml', at('workloads/self.yaml'));
    expectFailure(synth(), [
      'workloads/self.yaml: cannot be read: it is a loop of symbolic links (ELOOP): following them never reaches a file or folder; fix the links or remove them',
      'workloads/team/deep/loop-a: cannot be read: it is a loop of symbolic links (ELOOP)',
      'workloads/team/deep/loop-b: cannot be read: it is a loop of symbolic links (ELOOP)',
    ]);
  });

  test('names the entry as errors name files, in any workloads folder', () => {
    write('teams/risk/a.yaml', server('a'));
    fs.symlinkSync('missing.yaml', at('teams/risk/b.yaml'));
    const result = synth({ CDK8S_ML_WORKLOADS: 'teams/risk' });
    expectFailure(result, ["teams/risk/b.yaml: cannot be read: it is a symbolic link to 'missing.yaml'"]);
  });

  test('still ignores files that are not YAML, and hidden entries', () => {
    write('workloads/a.yaml', server('a'));
    write('workloads/README.md', '# notes\n');
    fs.symlinkSync('/nonexistent.yaml', at('workloads/.editor-lock.yaml'));
    mkfifo(at('workloads/notes.pipe'));
    const result = synth();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('an environments file that cannot be read', () => {
  // Ignored, it would turn the output from one folder per environment into one folder.
  test('fails when environments.yaml is a link to a missing file, and keeps the output', () => {
    write('environments.yaml', 'environments:\n  dev: {}\n');
    const before = previousOutput();
    fs.rmSync(at('environments.yaml'));
    fs.symlinkSync('/nonexistent.yaml', at('environments.yaml'));
    const result = synth();
    expect(result.stderr).toBe("cdk8s-ml: CDK8S_ML_ENVIRONMENTS: 'environments.yaml' cannot be read: it is a symbolic link to '/nonexistent.yaml', which does not exist (ENOENT); fix the link or remove it\ncdk8s-ml: synth failed; nothing was written\n");
    expect(result.code).toBe(1);
    expect(output()).toEqual(before);
  });

  test('fails when environments.yaml is a loop of links', () => {
    write('workloads/a.yaml', server('a'));
    fs.symlinkSync('environments.yaml', at('environments.yaml'));
    expect(synth().stderr).toContain("cdk8s-ml: CDK8S_ML_ENVIRONMENTS: 'environments.yaml' cannot be read: it is a loop of symbolic links (ELOOP)");
  });

  test('fails when environments.yaml is a FIFO, without opening it', () => {
    write('workloads/a.yaml', server('a'));
    mkfifo(at('environments.yaml'));
    const result = runCommand('synth', { cwd: project.root, timeoutMs: 30_000 });
    expect(result.timedOut).toBe(false);
    expect(result.stderr).toContain("cdk8s-ml: CDK8S_ML_ENVIRONMENTS: 'environments.yaml' cannot be read: it is a FIFO (named pipe), not a regular file");
    expect(result.code).toBe(1);
  });
});

describe('a workload entry without read permission', () => {
  // chmod 000 stops a reader only when it is not root: as root, the check runs as nobody.
  const user = unprivilegedUser();
  const permissionTest = user ? test : test.skip;
  if (!user) test.skip('SKIPPED: permission denied cannot be tested here (root, and no other user to run as)', () => undefined);

  beforeEach(() => {
    // The user the check runs as reads the project and may write its output folder.
    fs.chmodSync(project.root, 0o777);
  });

  permissionTest('fails when a workload file cannot be read (EACCES)', () => {
    write('workloads/a.yaml', server('a'));
    write('workloads/b.yaml', server('b'));
    fs.chmodSync(at('workloads/b.yaml'), 0o000);
    expectFailure(runCommand('synth', { cwd: project.root, ...user }), [
      'workloads/b.yaml: cannot be read: permission denied (EACCES); make it readable by the user running this command (folders need read and execute permission)',
    ]);
  });

  permissionTest('fails when a subfolder cannot be listed (EACCES)', () => {
    write('workloads/a.yaml', server('a'));
    write('workloads/team/b.yaml', server('b'));
    fs.chmodSync(at('workloads/team'), 0o000);
    expectFailure(runCommand('synth', { cwd: project.root, ...user }), ['workloads/team: cannot be read: permission denied (EACCES)']);
  });
});

/** Makes a FIFO (named pipe) at `file`; Node has no mkfifo of its own. */
function mkfifo(file: string): void {
  const result = spawnSync('mkfifo', [file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`mkfifo ${file} failed: ${result.stderr}`);
}
