import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runValidate } from '../../app/validate/run-validate';
import { runCommand, unprivilegedUser } from '../run-command';

// `npm run validate` reads every file it is given or finds: an entry it cannot read is a
// problem (exit 1) naming it and the cause, never skipped, never a hang or a stack trace.

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: team }\ndata: { LOG_LEVEL: info }\n';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-validate-inputs-'));
  fs.writeFileSync(path.join(dir, 'settings.yaml'), CONFIG_MAP);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function validate(paths: string[]) {
  let stdout = '';
  let stderr = '';
  const code = runValidate({ paths, cwd: dir, stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

function mkfifo(file: string): void {
  const result = spawnSync('mkfifo', [file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`mkfifo ${file} failed: ${result.stderr}`);
}

function expectProblems(result: { code: number | null; stdout: string; stderr: string }, lines: string[]): void {
  expect(result.code).toBe(1);
  for (const line of lines) expect(result.stderr).toContain(line);
  expect(result.stderr).toMatch(new RegExp(`, ${lines.length} problem\\(s\\) reading the files\\n$`));
  expect(`${result.stdout}${result.stderr}`).not.toContain('all valid');
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('runValidate with entries it cannot read', () => {
  test('fails on a link to a missing file in a folder, instead of saying all valid', () => {
    fs.symlinkSync('gone.yaml', path.join(dir, 'app.yaml'));
    expectProblems(validate(['.']), ["app.yaml: cannot be read: it is a symbolic link to 'gone.yaml', which does not exist (ENOENT); fix the link or remove it"]);
  });

  test('fails on a link to a missing file given by name, which exists as a link', () => {
    fs.symlinkSync('gone.yaml', path.join(dir, 'app.yaml'));
    expectProblems(validate(['app.yaml']), ["app.yaml: cannot be read: it is a symbolic link to 'gone.yaml', which does not exist (ENOENT)"]);
  });

  test('fails on a link loop, in a folder or given by name, without a stack trace', () => {
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.symlinkSync('b', path.join(dir, 'sub/a'));
    fs.symlinkSync('a', path.join(dir, 'sub/b'));
    const loop = 'cannot be read: it is a loop of symbolic links (ELOOP): following them never reaches a file or folder; fix the links or remove them';
    expectProblems(validate(['.']), [`sub/a: ${loop}`, `sub/b: ${loop}`]);
    expectProblems(validate(['sub/a']), [`sub/a: ${loop}`]);
  });

  test('fails on a FIFO, in a folder or given by name, without waiting for a writer', () => {
    mkfifo(path.join(dir, 'pipe.yaml'));
    // In a child process: were the FIFO opened for reading, it would wait for a writer forever.
    const result = runCommand('validate', { cwd: dir, paths: ['.', 'pipe.yaml'], timeoutMs: 30_000 });
    expect(result.timedOut).toBe(false);
    // Found in the folder and named as well: one problem.
    expectProblems(result, ['pipe.yaml: cannot be read: it is a FIFO (named pipe), not a regular file; replace it with the file it stands for, or remove it']);
    expect(result.stderr).toContain('1 object(s) checked in 2 file(s)');
  });

  test('a path that does not exist at all is still a bad argument (exit 2)', () => {
    const result = validate(['missing.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cdk8s-ml: 'missing.yaml' does not exist");
  });
});

describe('runValidate with entries without read permission', () => {
  // chmod 000 stops a reader only when it is not root: as root, the check runs as nobody.
  const user = unprivilegedUser();
  const permissionTest = user ? test : test.skip;
  if (!user) test.skip('SKIPPED: permission denied cannot be tested here (root, and no other user to run as)', () => undefined);

  beforeEach(() => fs.chmodSync(dir, 0o755));

  permissionTest('fails on a folder it cannot list, without a stack trace', () => {
    fs.mkdirSync(path.join(dir, 'private'));
    fs.writeFileSync(path.join(dir, 'private/secret.yaml'), CONFIG_MAP);
    fs.chmodSync(path.join(dir, 'private'), 0o000);
    const result = runCommand('validate', { cwd: dir, paths: ['.'], ...user });
    expectProblems(result, ['private: cannot be read: permission denied (EACCES); make it readable by the user running this command (folders need read and execute permission)']);
  });

  permissionTest('fails on a file it cannot read', () => {
    fs.chmodSync(path.join(dir, 'settings.yaml'), 0o000);
    expectProblems(runCommand('validate', { cwd: dir, paths: ['.'], ...user }), ['settings.yaml: cannot be read: permission denied (EACCES)']);
  });
});

describe('runValidate with manifests beyond the limits', () => {
  const KEY = (key: string) => `'${key}' cannot be a key: __proto__, constructor, prototype are properties of every JavaScript object, refused wherever input is read; rename or remove it`;

  test('fails on a 50 MB manifest without reading it', () => {
    fs.writeFileSync(path.join(dir, 'big.yaml'), CONFIG_MAP);
    fs.truncateSync(path.join(dir, 'big.yaml'), 50 * 1000 * 1000);
    expectProblems(validate(['big.yaml']), ['big.yaml: cannot be read: it is 47.7 MiB, above the limit of 16 MiB for a manifest file; split it into smaller files']);
  });

  test('fails on a ConfigMap value too long for the API server, at the field', () => {
    fs.writeFileSync(path.join(dir, 'blob.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\ndata:\n  BLOB: ${'x'.repeat(2 * 1024 * 1024)}\n`);
    expectProblems(validate(['blob.yaml']), [
      'blob.yaml:5: data.BLOB: is 2097152 characters long, above the limit of 1572864 (1.5 MiB, the most the API server stores in one object)',
    ]);
  });

  test.each(['__proto__', 'constructor', 'prototype'])('fails on %p as a key, at the field', (key) => {
    fs.writeFileSync(path.join(dir, 'keys.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    ${key}: x\n`);
    expectProblems(validate(['keys.yaml']), [`keys.yaml:6: metadata.labels.${key}: ${KEY(key)}`]);
  });

  test('fails on nesting 10,000 levels deep, at the line, without a stack trace', () => {
    fs.writeFileSync(path.join(dir, 'deep.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\ndata: ${'{ a: '.repeat(10_000)}b${' }'.repeat(10_000)}\n`);
    expectProblems(validate(['deep.yaml']), ['deep.yaml:4: lists and mappings nest more than 200 levels deep, the limit; flatten the structure']);
  });

  test('fails on a List of more than 100,000 items, at the field', () => {
    fs.writeFileSync(path.join(dir, 'list.yaml'), `apiVersion: v1\nkind: List\nitems:\n${'  - {}\n'.repeat(100_001)}`);
    expectProblems(validate(['list.yaml']), ['list.yaml:3: items: has 100001 items, above the limit of 100000 per list; shorten the list']);
  });
});
