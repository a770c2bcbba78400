import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recoverOutput, STAGING_FOLDER } from '../../../app/synth/output-switch';
import { runValidate } from '../../../app/validate/run-validate';
import { generatedHeader } from '../../../app/synth/render-manifests';
import { writeManifests } from '../../../app/synth/write-manifests';
import { compileSynthProgram, snapshotFolder, useTempProject } from '../../helpers';

const SERVER = 'kind: ModelServing\nname: fraud-detector\nnamespace: ml-serving\nimage: registry.example.com/ml/fraud-detector:1.4.2\nport: 8080\n';
const WORKER = 'kind: MlPipeline\nname: feature-extractor\nimage: registry.example.com/ml/feature-extractor:2.0.1\n';

const project = useTempProject('cdk8s-ml-faults-');
const dist = () => path.join(project.root, 'dist');

/** True when this file system lets root make a file immutable (ext4, xfs; not tmpfs or overlayfs). */
function canMakeImmutable(): boolean {
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-chattr-'));
  const file = path.join(probe, 'f');
  fs.writeFileSync(file, '');
  const made = spawnSync('chattr', ['+i', file]).status === 0;
  if (made) spawnSync('chattr', ['-i', file]);
  fs.rmSync(probe, { recursive: true, force: true });
  return made;
}

const immutable = canMakeImmutable();
const describeImmutable = immutable ? describe : describe.skip;
if (!immutable) console.warn('SKIPPED: the immutable-file tests need chattr +i on the temporary folder\'s file system (root on ext4 or xfs)');

describeImmutable('a file that cannot be moved (chattr +i)', () => {
  const locked: string[] = [];
  const lock = (file: string) => {
    spawnSync('chattr', ['+i', file]);
    locked.push(file);
  };
  afterEach(() => {
    for (const file of locked.splice(0)) spawnSync('chattr', ['-i', file]);
  });

  test('a stale manifest that cannot be removed fails the run, names it, and changes nothing', () => {
    project.write('workloads/server.yaml', SERVER);
    project.write('workloads/worker.yaml', WORKER);
    expect(project.synth().code).toBe(0);
    fs.rmSync(path.join(project.root, 'workloads/worker.yaml'));
    project.write('workloads/server.yaml', SERVER.replace('1.4.2', '1.4.3'));
    lock(path.join(dist(), 'feature-extractor.k8s.yaml'));
    const before = snapshotFolder(dist());
    const result = project.synth();
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('cdk8s-ml: cannot remove dist/feature-extractor.k8s.yaml: EPERM: operation not permitted\ncdk8s-ml: synth failed; nothing was written\n');
    expect(snapshotFolder(dist())).toEqual(before);
  });

  test('a manifest that cannot be replaced fails the run and puts back what was moved', () => {
    project.write('workloads/a.yaml', SERVER);
    project.write('workloads/b.yaml', WORKER);
    expect(project.synth().code).toBe(0);
    project.write('workloads/a.yaml', SERVER.replace('1.4.2', '1.4.3'));
    project.write('workloads/b.yaml', WORKER.replace('2.0.1', '2.0.2'));
    project.write('workloads/c.yaml', WORKER.replace('feature-extractor', 'new-worker'));
    // Files are moved in the order of their workload files: a.yaml's is moved aside before b.yaml's fails.
    lock(path.join(dist(), 'feature-extractor.k8s.yaml'));
    const before = snapshotFolder(dist());
    const result = project.synth();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cdk8s-ml: cannot replace dist/feature-extractor.k8s.yaml: EPERM: operation not permitted\n');
    expect(snapshotFolder(dist())).toEqual(before);
  });
});

describe('what an interrupted run left', () => {
  test('a staging folder without a committed switch is removed and the output kept', () => {
    project.write('workloads/server.yaml', SERVER);
    expect(project.synth().code).toBe(0);
    const before = snapshotFolder(dist());
    project.write(`dist/${STAGING_FOLDER}/new/0`, 'half a manifest');
    project.write(`dist/${STAGING_FOLDER}/switch.json.draft`, '{"put"');
    project.write('workloads/server.yaml', SERVER.replace('1.4.2', '1.4.3'));
    const result = project.synth();
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('cdk8s-ml: dist/ held the staged files of a synth that was interrupted before switching to them; removed them (the output was unchanged)\n');
    expect(Object.keys(snapshotFolder(dist()))).toEqual(Object.keys(before));
  });

  // Two runs meet in one folder only when one's lock was taken over while it ran (a lock file deleted
  // by hand, a PID namespace that hides a live holder): the later run must not touch the other's switch.
  test('a staging folder another run is switching from is left as it is: its journal and the old files it moved aside stay', () => {
    project.write('workloads/server.yaml', SERVER);
    expect(project.synth().code).toBe(0);
    const staging = path.join(dist(), STAGING_FOLDER);
    project.write(`dist/${STAGING_FOLDER}/switch.json`, '{"put":[],"aside":[["a.k8s.yaml","old/0"]],"createFolders":[],"pruneFolders":[]}\n');
    project.write(`dist/${STAGING_FOLDER}/old/0`, 'the old a.k8s.yaml');
    const before = snapshotFolder(staging);
    const files = [{ name: 'x.k8s.yaml', content: () => `${generatedHeader('workloads/x.yaml')}kind: ConfigMap\n` }];
    expect(() => writeManifests(dist(), files, () => false)).toThrow(`cannot write ${staging}: EEXIST`);
    expect(snapshotFolder(staging)).toEqual(before);
  });

  test('the temporary files of earlier versions of synth are removed', () => {
    project.write('workloads/server.yaml', SERVER);
    expect(project.synth().code).toBe(0);
    project.write('dist/.ml-serving.fraud-detector.k8s.yaml.4242.tmp', 'old');
    project.write('dist/prod/.kustomization.yaml.4242.tmp', 'old');
    project.write('dist/.my-notes.tmp', 'kept: not synth\'s');
    expect(recoverOutput(dist())).toBe('cleaned');
    expect(Object.keys(snapshotFolder(dist())).sort()).toEqual(['.my-notes.tmp', 'ml-serving.fraud-detector.k8s.yaml']);
  });

  test('a journal that cannot be read is an error that says what to do', () => {
    project.write('workloads/server.yaml', SERVER);
    project.write(`dist/${STAGING_FOLDER}/switch.json`, '{"put": [');
    const result = project.synth();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cdk8s-ml: cannot write dist/${STAGING_FOLDER}/switch.json: the journal of an interrupted synth cannot be read`);
    expect(result.stderr).toContain(`restore the output folder from Git, delete ${STAGING_FOLDER}, and run synth again`);
  });
});

/** True when this machine lets an unprivileged user namespace mount a file system (unshare -rm). */
function canMountPrivately(): boolean {
  return spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o ro tmpfs /mnt'], { stdio: 'ignore' }).status === 0;
}

const mounts = canMountPrivately();
const describeMount = mounts ? describe : describe.skip;
if (!mounts) console.warn('SKIPPED: the read-only file system test needs `unshare -rm` and mount (util-linux, user namespaces)');

describeMount('an output folder on a read-only file system', () => {
  let program = '';
  beforeAll(() => { program = compileSynthProgram(); });
  afterAll(() => fs.rmSync(program, { force: true }));

  test('is named with its real cause (EROFS), not ENOENT', () => {
    project.write('workloads/server.yaml', SERVER);
    fs.mkdirSync(path.join(project.root, 'ro'));
    // A private mount namespace: a read-only file system over ro/, seen by this synth only.
    const result = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o ro tmpfs ro && exec "$0" "$1"', process.execPath, program], {
      cwd: project.root,
      env: { PATH: process.env.PATH, CDK8S_OUTDIR: 'ro/gitops/dist' },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('cdk8s-ml: cannot create ro/gitops: EROFS: read-only file system\ncdk8s-ml: synth failed; nothing was written\n');
    expect(result.status).toBe(1);
  });
});

describe('npm run validate over an output folder an interrupted synth left', () => {
  test('fails and says to finish the switch', () => {
    project.write('workloads/server.yaml', SERVER);
    expect(project.synth().code).toBe(0);
    project.write(`dist/${STAGING_FOLDER}/switch.json`, '{"put":[],"aside":[],"createFolders":[],"pruneFolders":[]}\n');
    let stderr = '';
    const code = runValidate({ paths: ['dist'], cwd: project.root, stdout: () => undefined, stderr: (t) => { stderr += t; } });
    expect(code).toBe(1);
    expect(stderr).toContain(`dist: cannot be read: it holds an output switch an interrupted synth did not finish (${STAGING_FOLDER}/); run npm run synth to finish it`);
  });
});
