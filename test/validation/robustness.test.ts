import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadManifests } from '../../app/validate/load-manifests';
import { type Manifest, validateManifests } from '../../lib';

const base = (): Manifest[] => loadManifests(path.join(__dirname, 'valid.yaml'), 'valid.yaml').manifests;
const fired = (manifests: Manifest[]) => [...new Set(validateManifests(manifests).violations.map((v) => v.rule.id))].sort();

function load(text: string): ReturnType<typeof loadManifests> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-load-'));
  fs.writeFileSync(path.join(dir, 'm.yaml'), text);
  const loaded = loadManifests(path.join(dir, 'm.yaml'), 'm.yaml');
  fs.rmSync(dir, { recursive: true });
  return loaded;
}

/** Every path to a value inside `value`. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function replaced(object: unknown, at: (string | number)[], value: unknown): unknown {
  if (at.length === 0) return value;
  const copy: any = Array.isArray(object) ? [...object] : { ...(object as object) };
  copy[at[0]] = replaced(copy[at[0]], at.slice(1), value);
  return copy;
}

describe('the validator never throws', () => {
  const WRONG: unknown[] = [null, 'text', 42, true, [], {}, { toString: 1 }, [null], { valueOf: { toString: 1 } }];

  test('whatever value any field of any object holds', () => {
    const manifests = base();
    let runs = 0;
    manifests.forEach((manifest, i) => {
      for (const at of paths(manifest.object)) {
        for (const value of WRONG) {
          const broken = manifests.map((m, j) => (j === i ? { ...m, object: replaced(m.object, at, value) as Manifest['object'] } : m));
          const result = validateManifests(broken);
          expect(result.violations.filter((v) => v.rule.id === 'INTERNAL-ERROR')).toEqual([]);
          runs += 1;
        }
      }
    });
    expect(runs).toBeGreaterThan(500);
  });

  test('a List with items that are not objects is reported, not thrown', () => {
    const { manifests, issues } = load('apiVersion: v1\nkind: List\nitems:\n  - null\n  - text\n  - { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }\n');
    expect(manifests).toHaveLength(1);
    expect(issues.map((i) => i.line)).toEqual([4, 5]);
  });
});

describe('rules do not fire on valid manifests', () => {
  test('a Windows pod is exempt from the capabilities, seccomp and privilege-escalation controls', () => {
    const manifests = base();
    const pod = (manifests[1].object.spec as any).template.spec;
    pod.os = { name: 'windows' };
    delete pod.securityContext.seccompProfile;
    delete pod.containers[0].securityContext.capabilities;
    delete pod.containers[0].securityContext.allowPrivilegeEscalation;
    expect(fired(manifests)).toEqual([]);
  });

  test('RBAC names may hold colons', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:ml-reader' }, rules: [] };
    expect(fired([{ source: 'r.yaml', object: role }])).toEqual([]);
  });

  test('a probe on an undeclared port number is fine', () => {
    const manifests = base();
    (manifests[1].object.spec as any).template.spec.containers[0].readinessProbe = { tcpSocket: { port: 9090 } };
    expect(fired(manifests)).toEqual([]);
  });

  test('minAvailable counts the pods of every selected workload', () => {
    const manifests = base();
    const second = JSON.parse(JSON.stringify(manifests[1]));
    second.object.metadata.name = 'web-canary';
    manifests.push(second);
    manifests[3] = { ...manifests[3], object: { ...manifests[3].object, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } } };
    manifests.splice(2, 1); // no HPA: each Deployment runs 1 replica, 2 pods in all
    expect(fired(manifests)).toEqual([]);
  });

  test('a Service without a namespace matches pods in whatever namespace it is applied to', () => {
    const manifests = base();
    delete (manifests[0].object.metadata as any).namespace;
    expect(fired(manifests)).toEqual([]);
  });

  test('YAML 1.1 as kubectl reads it: merge keys and yes/no booleans', () => {
    const text = fs.readFileSync(path.join(__dirname, 'valid.yaml'), 'utf8')
      .replace('      containers:\n        - name: web', '      hostNetwork: no\n      containers:\n        - name: web');
    expect(fired(load(text).manifests)).toEqual([]);
    expect(fired(load(text.replace('hostNetwork: no', 'hostNetwork: yes')).manifests)).toEqual(['PSS-HOST-NAMESPACES']);
  });
});

describe('rules fire where they should', () => {
  test('the items of a typed list are checked', () => {
    const { manifests } = load('apiVersion: apps/v1\nkind: DeploymentList\nitems:\n  - { apiVersion: apps/v1, kind: Deployment, metadata: { name: Bad } }\n');
    expect(fired(manifests)).toContain('K8S-NAMES');
  });

  test('a type name is not a kind', () => {
    expect(fired([{ source: 'a.yaml', object: { apiVersion: 'v1', kind: 'EnvVar', metadata: { name: 'x' } } }])).toEqual(['K8S-SCHEMA']);
  });

  test('a second object of the same kind and name is reported', () => {
    const manifests = base();
    expect(validateManifests([...manifests, { ...manifests[0], line: 99 }]).violations.map((v) => v.message))
      .toContain("Service 'web' is also defined in valid.yaml:2");
  });

  test('a selector with matchExpressions is evaluated against the pod template', () => {
    const manifests = base();
    (manifests[1].object.spec as any).selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] };
    expect(fired(manifests)).toContain('K8S-SELECTOR');
    (manifests[1].object.spec as any).selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] };
    expect(fired(manifests)).not.toContain('K8S-SELECTOR');
  });

  test('an empty selector is rejected', () => {
    const manifests = base();
    (manifests[1].object.spec as any).selector = {};
    expect(fired(manifests)).toContain('K8S-SELECTOR');
  });

  test('a port name used twice in a container is rejected', () => {
    const manifests = base();
    (manifests[1].object.spec as any).template.spec.containers[0].ports.push({ name: 'http', containerPort: 8081 });
    expect(validateManifests(manifests).violations.map((v) => v.message)).toContain("port name 'http' is used twice in container 'web'");
  });

  test('minAvailable 100% blocks eviction whatever the selector', () => {
    const manifests = base();
    manifests[3] = { ...manifests[3], object: { ...manifests[3].object, spec: { minAvailable: '100%', selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } } } };
    expect(fired(manifests)).toEqual(['PDB-ALLOWS-EVICTION']);
  });

  test('a suppression naming a rule in the wrong case suggests the rule', () => {
    const manifests = base();
    (manifests[1].object.metadata as any).annotations = { 'ignore.policy.cdk8s-ml.io/pss-seccomp': 'windows node pool' };
    expect(validateManifests(manifests).violations.map((v) => v.message)).toContain("'pss-seccomp' is not a rule; did you mean 'PSS-SECCOMP'?");
  });

  test('an object validated again after a change is checked afresh', () => {
    const manifests = base();
    expect(fired(manifests)).toEqual([]);
    (manifests[1].object.spec as any).template.spec.hostNetwork = true;
    expect(fired(manifests)).toEqual(['PSS-HOST-NAMESPACES']);
  });
});
