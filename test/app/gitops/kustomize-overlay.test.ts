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

/** A pod template's labels: a Deployment's, Job's or ScaledJob's, or a CronJob's. */
function podTemplates(objects: readonly Rendered[]): { labels: Record<string, string>; spec: Record<string, unknown> }[] {
  return objects.flatMap((o) => {
    const spec = o.spec as Record<string, any> | undefined;
    const template = spec?.template ?? spec?.jobTargetRef?.template ?? spec?.jobTemplate?.spec?.template;
    return template ? [{ labels: template.metadata?.labels ?? {}, spec: template.spec ?? {} }] : [];
  });
}

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined && Object.entries(selector).every(([k, v]) => labels[k] === v);

/**
 * Every reference between the rendered objects that Kubernetes, KEDA and the Prometheus Operator
 * follow: what it names or selects is in the set, in the same namespace.
 */
function danglingReferences(objects: readonly Rendered[]): string[] {
  const has = (kind: string, name: string) => objects.some((o) => o.kind === kind && o.metadata.name === name);
  const templates = podTemplates(objects);
  const services = objects.filter((o) => o.kind === 'Service');
  const problems: string[] = [];
  for (const o of objects) {
    const spec = (o.spec ?? {}) as Record<string, any>;
    const id = `${o.kind} ${o.metadata.name}`;
    if (o.kind !== 'Namespace' && o.metadata.namespace !== 'other') problems.push(`${id}: namespace ${String(o.metadata.namespace)}`);
    if (o.kind === 'HorizontalPodAutoscaler' && !has(spec.scaleTargetRef.kind, spec.scaleTargetRef.name)) problems.push(`${id}: target ${spec.scaleTargetRef.name}`);
    if (o.kind === 'ScaledObject' && !has(spec.scaleTargetRef.kind ?? 'Deployment', spec.scaleTargetRef.name)) problems.push(`${id}: target ${spec.scaleTargetRef.name}`);
    for (const t of (spec.triggers ?? []) as { authenticationRef?: { name: string; kind?: string } }[]) {
      if (t.authenticationRef && !has(t.authenticationRef.kind ?? 'TriggerAuthentication', t.authenticationRef.name)) problems.push(`${id}: authenticationRef ${t.authenticationRef.name}`);
    }
    if (o.kind === 'Service' && !templates.some((t) => selects(spec.selector, t.labels))) problems.push(`${id}: selects no pods`);
    if ((o.kind === 'PodDisruptionBudget' || o.kind === 'PodMonitor') && !templates.some((t) => selects(spec.selector?.matchLabels, t.labels))) problems.push(`${id}: selects no pods`);
    if (o.kind === 'NetworkPolicy' && !templates.some((t) => selects(spec.podSelector?.matchLabels, t.labels))) problems.push(`${id}: selects no pods`);
    if (o.kind === 'ServiceMonitor' && !services.some((s) => selects(spec.selector?.matchLabels, (s as any).metadata.labels ?? {}))) problems.push(`${id}: selects no Service`);
  }
  for (const t of templates) {
    const account = t.spec.serviceAccountName as string | undefined;
    if (account !== undefined && !has('ServiceAccount', account)) problems.push(`pod template ${JSON.stringify(t.labels)}: serviceAccountName ${account}`);
  }
  return problems;
}

withKubectl('every environment folder under an overlay with namePrefix team-a- and namespace other renders with every reference intact', () => {
  const environments = fs.readdirSync(path.join(root, 'dist')).filter((e) => e !== 'argocd' && fs.existsSync(path.join(root, 'dist', e, 'kustomization.yaml')));
  expect(environments.sort()).toEqual(['dev', 'prod', 'staging']);
  for (const env of environments) {
    // One namespace for all: an environment of several Namespaces keeps one of them (README: Kustomize would merge them).
    const namespaces = parseAllDocuments(fs.readFileSync(path.join(root, 'dist', env, '_namespaces.k8s.yaml'), 'utf8')).map((d) => (d.toJS() as Rendered).metadata.name);
    const deletions = namespaces.slice(1).map((name) => `  - patch: |-\n      $patch: delete\n      apiVersion: v1\n      kind: Namespace\n      metadata:\n        name: ${name}\n`).join('');
    const objects = render(path.join(root, 'dist', env), `namePrefix: team-a-\nnamespace: other\n${deletions ? `patches:\n${deletions}` : ''}`);
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(['other']);
    expect(objects.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.name.startsWith('team-a-'))).toBe(true);
    expect(objects.filter((o) => o.kind === 'Deployment').length).toBeGreaterThan(0);
    expect({ env, problems: danglingReferences(objects) }).toEqual({ env, problems: [] });
  }
});

withKubectl('the reference check finds a dangling reference (what it is worth)', () => {
  const objects = render(path.join(root, 'dist', 'dev'), 'namePrefix: team-a-\nnamespace: other\n');
  const broken = objects.map((o) => (o.kind === 'HorizontalPodAutoscaler' ? { ...o, spec: { ...o.spec, scaleTargetRef: { ...(o.spec as any).scaleTargetRef, name: 'fraud-detector' } } } : o));
  expect(danglingReferences(broken).some((p) => p.includes('target fraud-detector'))).toBe(true);
});
