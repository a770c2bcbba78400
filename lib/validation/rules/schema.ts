import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isLabelValue, isQualifiedName } from '../../core/names';
import type { PropPath } from '../../core/errors';
import { at, type Finding, type K8sObject, isRecord, listAt, recordAt, show } from '../manifest';
import { apiGroup, type PodSpecAt, selectorMatches, selectorShape, selects } from '../pod-specs';
import { catalogued, type Rule, type RunIndex } from '../rule';
import { containerPortFindings, objectPortFindings } from './ports';

type Validate = (data: unknown) => void;
interface AjvError { instancePath: string; keyword: string; params: Record<string, unknown>; message?: string }

// Custom resources whose schemas a kubernetes-models package carries.
export const CRD_PACKAGES: Readonly<Record<string, string>> = {
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

type Model = { prototype: { validate(): void }; kind?: string; apiVersion?: string };
type ModelModule = Record<string, Model | undefined>;

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The kinds cdk8s-ml writes, each loaded by a require of its own name: a bundle (`npm run synth`)
 * then carries their validators, which V8's code cache holds compiled, instead of reading and
 * compiling the packages' files on every run (173 for one workload, 201 for the examples). Any other kind is loaded by name from
 * its package on first use.
 */
export const WRITTEN_KINDS: Readonly<Record<string, () => ModelModule>> = {
  'v1/Namespace': () => require('kubernetes-models/v1/Namespace'),
  'v1/ServiceAccount': () => require('kubernetes-models/v1/ServiceAccount'),
  'v1/Service': () => require('kubernetes-models/v1/Service'),
  'apps/v1/Deployment': () => require('kubernetes-models/apps/v1/Deployment'),
  'batch/v1/Job': () => require('kubernetes-models/batch/v1/Job'),
  'batch/v1/CronJob': () => require('kubernetes-models/batch/v1/CronJob'),
  'autoscaling/v2/HorizontalPodAutoscaler': () => require('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'),
  'policy/v1/PodDisruptionBudget': () => require('kubernetes-models/policy/v1/PodDisruptionBudget'),
  'networking.k8s.io/v1/NetworkPolicy': () => require('kubernetes-models/networking.k8s.io/v1/NetworkPolicy'),
  'keda.sh/v1alpha1/ScaledObject': () => require('@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject'),
  'keda.sh/v1alpha1/ScaledJob': () => require('@kubernetes-models/keda/keda.sh/v1alpha1/ScaledJob'),
  'keda.sh/v1alpha1/TriggerAuthentication': () => require('@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication'),
  'monitoring.coreos.com/v1/ServiceMonitor': () => require('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'),
  'monitoring.coreos.com/v1/PodMonitor': () => require('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor'),
  'argoproj.io/v1alpha1/Application': () => require('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application'),
  'argoproj.io/v1alpha1/ApplicationSet': () => require('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet'),
  'argoproj.io/v1alpha1/AppProject': () => require('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject'),
};

/** The module of a kind's model, by name from its package; undefined when no installed package has it. */
function loadModelModule(apiVersion: string, kind: string): ModelModule | undefined {
  const written = WRITTEN_KINDS[`${apiVersion}/${kind}`];
  if (written) return written();
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const pkg = CRD_PACKAGES[group] ?? 'kubernetes-models';
  try {
    return require(`${pkg}/${apiVersion}/${kind}`) as ModelModule;
  } catch {
    return undefined;
  }
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The schema validator of an apiVersion and kind, loaded on first use, or
 * undefined when no installed package knows it.
 */
function validatorFor(apiVersion: string, kind: string): Validate | undefined {
  const id = `${apiVersion}/${kind}`;
  if (!validators.has(id)) {
    const model = loadModelModule(apiVersion, kind)?.[kind];
    // The packages also export the types objects are made of (EnvVar, DeploymentSpec): only kinds count.
    const isKind = model !== undefined && model.kind === kind && model.apiVersion === apiVersion;
    // The model's validate() checks `this` against the kind's compiled schema and changes nothing, so it is
    // called on the object itself: a model instance would first deep-copy the object, a third of the cost.
    const validate = isKind ? model!.prototype.validate : undefined;
    validators.set(id, validate && ((data: unknown) => validate.call(data)));
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
  ...catalogued('K8S-SCHEMA'),
  rationale: "The API server rejects an object that does not match its schema (or sets fields that exclude each other, such as a PodDisruptionBudget's minAvailable and maxUnavailable) or whose API version it no longer serves (Kubernetes 1.28), and the whole sync fails.",
  fix: 'Correct the field as the message says; `kubectl explain KIND.FIELD` describes it.',
  kubeLinter: '- (kubeconform)',
  polaris: '-',
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
    let findings: Finding[] = [];
    try {
      validate(object);
    } catch (e) {
      const errors = (e as { errors?: AjvError[] }).errors;
      findings = errors ? dedupe(errors) : [{ path: [], message: show((e as Error).message) }];
    }
    return object.kind === 'PodDisruptionBudget' ? [...findings, ...budgetFindings(object)] : findings;
  },
};

/**
 * What the API server checks in a PodDisruptionBudget beyond its schema: one
 * of minAvailable and maxUnavailable, each a count or a percentage up to 100%.
 */
function budgetFindings(object: K8sObject): Finding[] {
  const spec = recordAt(object, ['spec']);
  const findings: Finding[] = [];
  const set = (field: string) => spec[field] !== undefined && spec[field] !== null;
  if (set('minAvailable') && set('maxUnavailable')) {
    findings.push({ path: ['spec'], message: `minAvailable (${show(spec.minAvailable)}) and maxUnavailable (${show(spec.maxUnavailable)}) cannot both be set; keep one` });
  }
  for (const field of ['minAvailable', 'maxUnavailable']) {
    const value = spec[field];
    if (typeof value === 'number' && Number.isInteger(value) && value < 0) {
      findings.push({ path: ['spec', field], message: `${field} ${value} must not be negative` });
    } else if (typeof value === 'string' && !/^[0-9]+%$/.test(value)) {
      findings.push({ path: ['spec', field], message: `'${value}' must be a number of pods or a percentage such as 50%${/^\d+$/.test(value) ? ' (write a count unquoted)' : ''}` });
    } else if (typeof value === 'string' && Number(value.slice(0, -1)) > 100) {
      findings.push({ path: ['spec', field], message: `${field} ${value} is more than 100%` });
    }
  }
  return findings;
}

function toFinding(error: AjvError): Finding {
  const path: PropPath = error.instancePath.split('/').slice(1).map((p) => /^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') return { path: [...path, show(error.params.missingProperty)], message: 'is required' };
  if (error.keyword === 'enum') return { path, message: `must be one of ${(error.params.allowedValues as unknown[]).map(show).join(', ')}` };
  if (error.keyword === 'format') return { path, message: `must be a ${show(error.params.format)} (e.g. ${error.params.format === 'quantity' ? '500m or 1Gi' : 'see kubectl explain'})` };
  return { path, message: error.message ?? error.keyword };
}

// One problem per field: a failed oneOf reports every branch, and the most specific
// one (a format such as quantity, a pattern, an enum) says the most.
const SPECIFIC = ['format', 'pattern', 'enum', 'required'];
function dedupe(errors: AjvError[]): Finding[] {
  const best = new Map<string, AjvError>();
  for (const error of errors) {
    const field = error.keyword === 'required' ? `${error.instancePath}/${show(error.params.missingProperty)}` : error.instancePath;
    const current = best.get(field);
    if (!current || (SPECIFIC.includes(error.keyword) && !SPECIFIC.includes(current.keyword))) best.set(field, error);
  }
  return [...best.values()].map(toFinding);
}

/** Kinds whose name the API server checks other than as a DNS-1123 subdomain, by API group and kind. */
const PATH_SEGMENT = { test: (name: string) => name !== '.' && name !== '..' && !/[/%]/.test(name) && name !== '', what: 'a path segment (no / or %)' };
const NAME_RULES: Readonly<Record<string, { readonly test: (name: string) => boolean; readonly what: string }>> = {
  '/Service': { test: isDns1035Label, what: 'a DNS-1035 label (lowercase letters, digits and -, starting with a letter, at most 63)' },
  '/Namespace': { test: isDns1123Label, what: 'a DNS-1123 label (lowercase letters, digits and -, at most 63)' },
  'batch/CronJob': { test: (name) => isDns1123Subdomain(name) && name.length <= 52, what: 'a DNS-1123 subdomain of at most 52 characters (its Jobs add a suffix)' },
  'rbac.authorization.k8s.io/Role': PATH_SEGMENT,
  'rbac.authorization.k8s.io/ClusterRole': PATH_SEGMENT,
  'rbac.authorization.k8s.io/RoleBinding': PATH_SEGMENT,
  'rbac.authorization.k8s.io/ClusterRoleBinding': PATH_SEGMENT,
};

function labelFindings(labels: unknown, path: (string | number)[]): Finding[] {
  const findings: Finding[] = [];
  for (const [key, value] of Object.entries(isRecord(labels) ? labels : {})) {
    if (!isQualifiedName(key)) findings.push({ path: [...path, key], message: `'${key}' is not a valid label key ([prefix/]name, name at most 63 characters)` });
    if (typeof value !== 'string' || (value !== '' && !isLabelValue(value))) {
      findings.push({ path: [...path, key], message: `'${show(value)}' is not a valid label value (at most 63 alphanumerics, -, _ or .)` });
    }
  }
  return findings;
}

function annotationFindings(annotations: unknown, path: (string | number)[]): Finding[] {
  return Object.keys(isRecord(annotations) ? annotations : {})
    .filter((key) => !isQualifiedName(key))
    .map((key) => ({ path: [...path, key], message: `'${key}' is not a valid annotation key ([prefix/]name, name at most 63 characters)` }));
}

/** What the API server checks in a pod template beyond its schema: labels, container names, ports. */
function podTemplateFindings(pod: PodSpecAt, run: RunIndex): Finding[] {
  const findings: Finding[] = [
    ...labelFindings(pod.labels, [...pod.metadataPath, 'labels']),
    ...annotationFindings(pod.annotations, [...pod.metadataPath, 'annotations']),
  ];
  const seen = new Set<string>();
  for (const c of run.containers(pod)) {
    // A container without a name is K8S-SCHEMA's ("is required"); c.name is then only its index.
    if (typeof c.container.name === 'string') {
      if (!isDns1123Label(c.name)) findings.push({ path: [...c.path, 'name'], message: `container name '${c.name}' is not a DNS-1123 label` });
      else if (seen.has(c.name)) findings.push({ path: [...c.path, 'name'], message: `container name '${c.name}' is used twice in the pod` });
      seen.add(c.name);
    }
    findings.push(...containerPortFindings(c));
  }
  return findings;
}
const SUBDOMAIN = { test: isDns1123Subdomain, what: 'a DNS-1123 subdomain (lowercase letters, digits, - and ., at most 253)' };

export const K8S_NAMES: Rule = {
  ...catalogued('K8S-NAMES'),
  rationale: 'The API server rejects names and numbers the schema allows: object, container and port names, port numbers outside 1-65535, namespaces, label and annotation keys, label values; and two objects of one kind and name.',
  fix: 'Rename to match the syntax the message gives, use ports 1-65535; keep one object per kind, namespace and name.',
  kubeLinter: 'invalid-target-ports',
  polaris: '-',
  check({ object }, run) {
    const findings: Finding[] = [];
    const metadata = recordAt(object, ['metadata']);
    const rule = (typeof object.kind === 'string' && NAME_RULES[`${apiGroup(object.apiVersion)}/${object.kind}`]) || SUBDOMAIN;
    if (typeof metadata.name !== 'string' && typeof metadata.generateName !== 'string') {
      findings.push({ path: ['metadata', 'name'], message: 'is required' });
    } else if (typeof metadata.name === 'string' && !rule.test(metadata.name)) {
      findings.push({ path: ['metadata', 'name'], message: `'${metadata.name}' is not ${rule.what}` });
    }
    if (metadata.namespace !== undefined && !(typeof metadata.namespace === 'string' && isDns1123Label(metadata.namespace))) {
      findings.push({ path: ['metadata', 'namespace'], message: `'${show(metadata.namespace)}' is not a DNS-1123 label` });
    }
    findings.push(...labelFindings(metadata.labels, ['metadata', 'labels']), ...annotationFindings(metadata.annotations, ['metadata', 'annotations']));
    const pod = run.podSpec(object);
    if (pod) findings.push(...podTemplateFindings(pod, run));
    findings.push(...objectPortFindings(object));
    return findings;
  },
  across(manifest, run) {
    const first = run.duplicateOf(manifest);
    const { object } = manifest;
    return first ? [{ path: ['metadata', 'name'], message: `${show(object.kind)} '${show(recordAt(object, ['metadata']).name)}' is also defined in ${first.source}${first.line === undefined ? '' : `:${first.line}`}` }] : [];
  },
};

export const K8S_SELECTOR: Rule = {
  ...catalogued('K8S-SELECTOR'),
  rationale: "The API server rejects a workload whose selector does not match its own pod template's labels, or is not a valid selector, and the selector cannot be changed later.",
  fix: "Give the pod template (spec.template.metadata.labels) every label the selector asks for: spec.selector.matchLabels and matchExpressions, or for a ReplicationController the plain map spec.selector (or leave it out: it defaults to the template's labels).",
  kubeLinter: 'mismatching-selector',
  polaris: '-',
  check({ object }, run) {
    const shape = selectorShape(object);
    const pod = run.podSpec(object);
    // A missing template is K8S-SCHEMA's (or, for an Argo Rollout, taken from its workloadRef).
    if (!shape || !pod || !isRecord(at(object, pod.metadataPath.slice(0, -1)))) return [];
    const selector = at(object, ['spec', 'selector']);
    const path = ['spec', 'selector'];
    const mismatch = (): Finding[] => [{ path, message: `the selector ${show(selector)} does not select the pod template's labels ${show(pod.labels)}` }];
    if (shape === 'labels') {
      // A ReplicationController without a selector (or with an empty one) takes the template's labels.
      if (selector === undefined || selector === null || (isRecord(selector) && Object.keys(selector).length === 0)) {
        return Object.keys(pod.labels).length === 0
          ? [{ path, message: "is required: it defaults to the pod template's labels, and the template has none" }]
          : [];
      }
      if (!isRecord(selector)) return [];
      const findings = labelFindings(selector, path);
      return findings.length > 0 ? findings : selects(selector, pod.labels) ? [] : mismatch();
    }
    // A Job without one gets a generated selector; elsewhere a missing one is K8S-SCHEMA's.
    if (!isRecord(selector)) return [];
    const findings = labelSelectorFindings(selector, path);
    if (findings.length > 0) return findings;
    if (Object.keys(recordAt(selector, ['matchLabels'])).length === 0 && listAt(selector, ['matchExpressions']).length === 0) {
      // A Job without manualSelector gets its controller-uid label added to the selector.
      if (object.kind === 'Job' && at(object, ['spec', 'manualSelector']) !== true) return [];
      return [{ path, message: 'an empty selector is rejected: it would select every pod of the namespace' }];
    }
    return selectorMatches(selector, pod.labels) ? [] : mismatch();
  },
};

const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** What the API server checks in a label selector: matchLabels as labels, and each matchExpression. */
function labelSelectorFindings(selector: Record<string, unknown>, path: PropPath): Finding[] {
  const findings = labelFindings(selector.matchLabels, [...path, 'matchLabels']);
  listAt(selector, ['matchExpressions']).forEach((expression, i) => {
    if (!isRecord(expression)) return;
    const where = [...path, 'matchExpressions', i];
    const { key, operator } = expression;
    const values = Array.isArray(expression.values) ? expression.values : [];
    if (typeof key === 'string' && !isQualifiedName(key)) findings.push({ path: [...where, 'key'], message: `'${key}' is not a valid label key ([prefix/]name, name at most 63 characters)` });
    if (typeof operator === 'string' && !SELECTOR_OPERATORS.includes(operator)) {
      findings.push({ path: [...where, 'operator'], message: `'${operator}' is not a selector operator (${SELECTOR_OPERATORS.join(', ')})` });
    } else if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
      findings.push({ path: [...where, 'values'], message: `operator ${operator} needs at least one value` });
    } else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
      findings.push({ path: [...where, 'values'], message: `operator ${operator} takes no values` });
    }
    values.forEach((value, v) => {
      if (typeof value === 'string' && value !== '' && !isLabelValue(value)) {
        findings.push({ path: [...where, 'values', v], message: `'${value}' is not a valid label value (at most 63 alphanumerics, -, _ or .)` });
      }
    });
  });
  return findings;
}
