import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

// dist/<env> as a Kustomize base: an overlay with namePrefix, nameSuffix and namespace renders
// references that still match, KEDA's custom-resource fields included (kustomizeconfig.yaml).
// Rendered with `kubectl kustomize`, which works offline; without kubectl the tests say so and are skipped.

const root = path.resolve(__dirname, '../../..');
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!hasKubectl) process.stderr.write('test/app/gitops/kustomize-overlay.test.ts: SKIPPED: kubectl is not installed, so the overlay cannot be rendered\n');
const withKubectl = hasKubectl ? test : test.skip;

interface Rendered { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> }
interface ScaledObjectSpec { scaleTargetRef: { name: string }; triggers: { authenticationRef?: { name: string } }[] }

/** `kubectl kustomize` of an overlay of `base` (a copy), with `overlay` in its kustomization.yaml. */
function render(base: string, overlay: string): Rendered[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-overlay-'));
  try {
    fs.cpSync(base, path.join(dir, 'base'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'overlay'));
    fs.writeFileSync(path.join(dir, 'overlay', 'kustomization.yaml'), `resources: [../base]\n${overlay}`);
    const r = spawnSync('kubectl', ['kustomize', path.join(dir, 'overlay')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return parseAllDocuments(r.stdout).map((d) => d.toJS() as Rendered);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// dev uses one namespace; an overlay's namespace would merge prod's two Namespaces into one (a Kustomize error).
withKubectl('an overlay with namePrefix, nameSuffix and namespace keeps the ScaledObjects\' targets and trigger authentications on the renamed objects', () => {
  const objects = render(path.join(root, 'dist', 'dev'), 'namePrefix: team-a-\nnameSuffix: -v2\nnamespace: team-a\n');
  const names = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
  const scaledObjects = objects.filter((o) => o.kind === 'ScaledObject');
  expect(scaledObjects.map((o) => o.metadata.name).sort()).toEqual(['team-a-embedding-worker-v2', 'team-a-llm-server-v2']);
  for (const so of scaledObjects) {
    const spec = so.spec as unknown as ScaledObjectSpec;
    expect(so.metadata.namespace).toBe('team-a');
    expect(names('Deployment')).toContain(spec.scaleTargetRef.name);
    for (const t of spec.triggers.filter((tr) => tr.authenticationRef)) expect(names('TriggerAuthentication')).toContain(t.authenticationRef!.name);
  }
  // The embedding worker's trigger uses the TriggerAuthentication synth generates: renamed with it.
  const embedding = scaledObjects.find((o) => o.metadata.name === 'team-a-embedding-worker-v2')!.spec as unknown as ScaledObjectSpec;
  expect(embedding.triggers[0].authenticationRef!.name).toBe('team-a-embedding-worker-0-v2');
});

withKubectl('without the name-reference configuration the same overlay leaves the scale target dangling (what the file fixes)', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-bare-base-'));
  try {
    fs.cpSync(path.join(root, 'dist', 'dev'), base, { recursive: true });
    fs.rmSync(path.join(base, 'kustomizeconfig.yaml'));
    const kustomization = path.join(base, 'kustomization.yaml');
    fs.writeFileSync(kustomization, fs.readFileSync(kustomization, 'utf8').replace('configurations:\n  - kustomizeconfig.yaml\n', ''));
    const so = render(base, 'namePrefix: team-a-\n').find((o) => o.kind === 'ScaledObject' && o.metadata.name === 'team-a-embedding-worker')!;
    expect((so.spec as unknown as ScaledObjectSpec).scaleTargetRef.name).toBe('embedding-worker');
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});
