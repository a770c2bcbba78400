import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isLabelValue, isQualifiedName } from '../../workload/names';
import type { PropPath } from '../../workload/errors';
import { type Finding, type K8sObject, recordAt } from '../manifest';
import type { Rule } from '../rule';

type Validate = (data: unknown) => void;
interface AjvError { instancePath: string; keyword: string; params: Record<string, unknown>; message?: string }

// Custom resources whose schemas a kubernetes-models package carries.
const CRD_PACKAGES: Readonly<Record<string, string>> = {
  'keda.sh': '@kubernetes-models/keda',
  'argoproj.io': '@kubernetes-models/argo-cd',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

// API versions kubernetes-models still describes but Kubernetes 1.28 no longer serves,
// with the release that removed them and the version to use instead.
// https://kubernetes.io/docs/reference/using-api/deprecation-guide/
const REMOVED_API_VERSIONS: Readonly<Record<string, readonly [string, string]>> = {
  'extensions/v1beta1': ['1.22', 'apps/v1 or networking.k8s.io/v1'],
  'apps/v1beta1': ['1.16', 'apps/v1'],
  'apps/v1beta2': ['1.16', 'apps/v1'],
  'networking.k8s.io/v1beta1': ['1.22', 'networking.k8s.io/v1'],
  'rbac.authorization.k8s.io/v1beta1': ['1.22', 'rbac.authorization.k8s.io/v1'],
  'admissionregistration.k8s.io/v1beta1': ['1.22', 'admissionregistration.k8s.io/v1'],
  'apiextensions.k8s.io/v1beta1': ['1.22', 'apiextensions.k8s.io/v1'],
  'certificates.k8s.io/v1beta1': ['1.22', 'certificates.k8s.io/v1'],
  'coordination.k8s.io/v1beta1': ['1.22', 'coordination.k8s.io/v1'],
  'scheduling.k8s.io/v1beta1': ['1.22', 'scheduling.k8s.io/v1'],
  'storage.k8s.io/v1beta1': ['1.22', 'storage.k8s.io/v1'],
  'batch/v1beta1': ['1.25', 'batch/v1'],
  'policy/v1beta1': ['1.25', 'policy/v1'],
  'discovery.k8s.io/v1beta1': ['1.25', 'discovery.k8s.io/v1'],
  'events.k8s.io/v1beta1': ['1.25', 'events.k8s.io/v1'],
  'node.k8s.io/v1beta1': ['1.25', 'node.k8s.io/v1'],
  'autoscaling/v2beta1': ['1.25', 'autoscaling/v2'],
  'autoscaling/v2beta2': ['1.26', 'autoscaling/v2'],
  'flowcontrol.apiserver.k8s.io/v1beta1': ['1.26', 'flowcontrol.apiserver.k8s.io/v1beta3'],
};

const validators = new Map<string, Validate | undefined>();
let builtInGroups: Set<string> | undefined;

/**
 * The schema validator of an apiVersion and kind, loaded on first use, or
 * undefined when no installed package knows it.
 */
function validatorFor(apiVersion: string, kind: string): Validate | undefined {
  const id = `${apiVersion}/${kind}`;
  if (!validators.has(id)) {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    const pkg = CRD_PACKAGES[group] ?? 'kubernetes-models';
    let model: (new (data: unknown) => { validate(): void }) | undefined;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      model = (require(`${pkg}/${apiVersion}/${kind}`) as Record<string, typeof model>)[kind];
    } catch {
      model = undefined;
    }
    validators.set(id, model && ((data: unknown) => new model(data).validate()));
  }
  return validators.get(id);
}

/** True when `apiVersion` belongs to Kubernetes itself rather than to a custom resource. */
export function isBuiltInApiVersion(apiVersion: string): boolean {
  if (!builtInGroups) {
    const root = path.dirname(require.resolve('kubernetes-models/package.json'));
    builtInGroups = new Set(fs.readdirSync(root).filter((entry) => /^(v\d|[a-z])/.test(entry) && !entry.includes('.d.ts')));
  }
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : apiVersion;
  return builtInGroups.has(group);
}

/** True when the schema of this kind is known, so K8S-SCHEMA checks it. */
export function hasSchema(object: K8sObject): boolean {
  return typeof object.apiVersion === 'string' && typeof object.kind === 'string' && validatorFor(object.apiVersion, object.kind) !== undefined;
}

export const K8S_SCHEMA: Rule = {
  id: 'K8S-SCHEMA',
  rationale: 'The API server rejects an object that does not match its schema or whose API version it no longer serves (Kubernetes 1.28), and the whole sync fails.',
  fix: 'Correct the field as the message says; `kubectl explain KIND.FIELD` describes it.',
  kubeLinter: '- (kubeconform)',
  polaris: '-',
  suppressible: false,
  check({ object }) {
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      return [{ path: [], message: 'an object needs a string apiVersion and kind' }];
    }
    const removed = REMOVED_API_VERSIONS[object.apiVersion];
    if (removed) return [{ path: ['apiVersion'], message: `${object.apiVersion} was removed in Kubernetes ${removed[0]}; use ${removed[1]}` }];
    const validate = validatorFor(object.apiVersion, object.kind);
    if (!validate) {
      return isBuiltInApiVersion(object.apiVersion)
        ? [{ path: ['apiVersion'], message: `Kubernetes has no kind ${object.kind} in ${object.apiVersion} (removed or misspelt?)` }]
        : [];
    }
    try {
      validate(object);
      return [];
    } catch (e) {
      const errors = (e as { errors?: AjvError[] }).errors;
      if (!errors) return [{ path: [], message: String((e as Error).message) }];
      return dedupe(errors.map(toFinding));
    }
  },
};

function toFinding(error: AjvError): Finding {
  const path: PropPath = error.instancePath.split('/').slice(1).map((p) => /^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') return { path: [...path, String(error.params.missingProperty)], message: 'is required' };
  if (error.keyword === 'enum') return { path, message: `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}` };
  return { path, message: error.message ?? error.keyword };
}

// One problem per field: a failed oneOf reports every branch.
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const id = f.path.join('/');
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Kinds whose name the API server checks as a DNS-1035 or DNS-1123 label instead of a subdomain. */
const NAME_RULES: Readonly<Record<string, { readonly test: (name: string) => boolean; readonly what: string }>> = {
  Service: { test: isDns1035Label, what: 'a DNS-1035 label (lowercase letters, digits and -, starting with a letter, at most 63)' },
  Namespace: { test: isDns1123Label, what: 'a DNS-1123 label (lowercase letters, digits and -, at most 63)' },
};
const SUBDOMAIN = { test: isDns1123Subdomain, what: 'a DNS-1123 subdomain (lowercase letters, digits, - and ., at most 253)' };

export const K8S_NAMES: Rule = {
  id: 'K8S-NAMES',
  rationale: 'The API server checks names, namespaces, label and annotation keys and label values beyond what the schema says, and rejects the object.',
  fix: 'Rename to match the syntax the message gives.',
  kubeLinter: '-',
  polaris: '-',
  suppressible: false,
  check({ object }) {
    const findings: Finding[] = [];
    const metadata = recordAt(object, ['metadata']);
    const rule = (typeof object.kind === 'string' && NAME_RULES[object.kind]) || SUBDOMAIN;
    if (typeof metadata.name !== 'string' && typeof metadata.generateName !== 'string') {
      findings.push({ path: ['metadata', 'name'], message: 'is required' });
    } else if (typeof metadata.name === 'string' && !rule.test(metadata.name)) {
      findings.push({ path: ['metadata', 'name'], message: `'${metadata.name}' is not ${rule.what}` });
    }
    if (metadata.namespace !== undefined && !(typeof metadata.namespace === 'string' && isDns1123Label(metadata.namespace))) {
      findings.push({ path: ['metadata', 'namespace'], message: `'${String(metadata.namespace)}' is not a DNS-1123 label` });
    }
    for (const [field, values] of [['labels', true], ['annotations', false]] as const) {
      for (const [key, value] of Object.entries(recordAt(metadata, [field]))) {
        if (!isQualifiedName(key)) findings.push({ path: ['metadata', field, key], message: `'${key}' is not a valid key ([prefix/]name, name at most 63 characters)` });
        if (values && !(typeof value === 'string' && (value === '' || isLabelValue(value)))) {
          findings.push({ path: ['metadata', field, key], message: `'${String(value)}' is not a valid label value (at most 63 alphanumerics, -, _ or .)` });
        }
      }
    }
    return findings;
  },
};
