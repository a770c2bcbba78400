import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KIND_ORDER } from '../../app/synth/apply-order';
import { CRD_PACKAGES, WRITTEN_KINDS } from '../../lib/validation/rules/schema';

// The validators of the kinds synth writes are loaded by requires of their own names, so that
// `npm run synth` carries them in its bundle and V8's code cache (app/launch.cjs).
const REPO = path.resolve(__dirname, '../..');

test.each(Object.entries(WRITTEN_KINDS))('%s loads the model of that kind', (id, load) => {
  const kind = id.slice(id.lastIndexOf('/') + 1);
  const apiVersion = id.slice(0, id.lastIndexOf('/'));
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const byName = (require(`${CRD_PACKAGES[group] ?? 'kubernetes-models'}/${apiVersion}/${kind}`) as Record<string, { kind?: string; apiVersion?: string } | undefined>)[kind];
  expect(load()[kind]).toBe(byName);
  expect([byName?.kind, byName?.apiVersion]).toEqual([kind, apiVersion]);
});

test('every kind synth writes is among them', () => {
  const written = new Set(Object.keys(WRITTEN_KINDS).map((id) => id.slice(id.lastIndexOf('/') + 1)));
  const synthKinds = [...KIND_ORDER.filter((kind) => !['ConfigMap', 'Secret'].includes(kind)), 'Application', 'ApplicationSet', 'AppProject'];
  expect(synthKinds.filter((kind) => !written.has(kind))).toEqual([]);
});

test('npm run synth validates the examples without loading a file of the model packages', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-kinds-'));
  try {
    const preload = path.join(dir, 'loaded.cjs');
    fs.writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'loaded.json'))}, JSON.stringify(Object.keys(require.cache))));\n`);
    const result = spawnSync(process.execPath, ['--require', preload, path.join(REPO, 'app/launch.cjs'), 'main.ts'], {
      cwd: REPO, env: { ...process.env, CDK8S_OUTDIR: path.join(dir, 'out'), CDK8S_ML_DEBUG: '' }, encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const loaded = JSON.parse(fs.readFileSync(path.join(dir, 'loaded.json'), 'utf8')) as string[];
    expect(loaded.filter((file) => /node_modules[\\/](@kubernetes-models|kubernetes-models)[\\/]/.test(file))).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(expect.arrayContaining(['argocd', 'dev', 'prod', 'staging']));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
