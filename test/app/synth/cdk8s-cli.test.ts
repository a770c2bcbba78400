import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// `cdk8s synth` end to end: the CLI runs main.ts (cdk8s.yaml `app`), then the
// project's validation plugin (cdk8s.yaml `validations`), offline.
const projectRoot = path.resolve(__dirname, '../../..');
const cli = path.join(projectRoot, 'node_modules/.bin/cdk8s');

jest.setTimeout(60_000);

let root: string;
beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-cli-')); });
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function cdk8sSynth(workload: string) {
  fs.mkdirSync(path.join(root, 'workloads'));
  fs.writeFileSync(path.join(root, 'workloads/w.yaml'), workload);
  const result = spawnSync(cli, ['synth', '--no-check-upgrade', '-o', path.join(root, 'out')], {
    cwd: projectRoot,
    env: { ...process.env, CDK8S_ML_WORKLOADS: path.join(root, 'workloads'), CDK8S_ML_ENVIRONMENTS: 'none', CDK8S_CHECK_UPGRADE: 'false' },
    encoding: 'utf8',
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const WORKER = 'kind: MlPipeline\nname: w\nimage: registry.example.com/w:1.0.0\n';

test('cdk8s synth writes the manifests, runs the validation plugin, and writes no construct metadata', () => {
  const { code, output } = cdk8sSynth(WORKER);
  expect(code).toBe(0);
  expect(output).toContain('Validation Report (');
  expect(output).toContain('app/validate/cdk8s-plugin.cjs@0.1.0');
  expect(output).toContain('Validations ended succesfully');
  expect(fs.readdirSync(path.join(root, 'out'))).toEqual(['w.k8s.yaml']);
});

test('cdk8s synth fails on a policy violation with the same report: the app checks before it writes', () => {
  const { code, output } = cdk8sSynth(`${WORKER}env:\n  HF_TOKEN: hf_abc\n`);
  expect(code).not.toBe(0);
  expect(output).toContain("Deployment w: spec.template.spec.containers[0].env[0].value: [ENV-SECRET-LITERAL] container 'worker' sets HF_TOKEN to a literal value");
});
