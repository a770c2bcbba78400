import type { PropPath } from '../core/errors';
import { type K8sObject, listAt, recordAt } from './manifest';

/** Where a kind keeps its pod template, by API group and kind ('' is the core group). */
const POD_SPEC_PATHS: Readonly<Record<string, PropPath>> = {
  '/Pod': ['spec'],
  '/PodTemplate': ['template', 'spec'],
  '/ReplicationController': ['spec', 'template', 'spec'],
  'apps/Deployment': ['spec', 'template', 'spec'],
  'apps/StatefulSet': ['spec', 'template', 'spec'],
  'apps/DaemonSet': ['spec', 'template', 'spec'],
  'apps/ReplicaSet': ['spec', 'template', 'spec'],
  'batch/Job': ['spec', 'template', 'spec'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  'keda.sh/ScaledJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  'argoproj.io/Rollout': ['spec', 'template', 'spec'],
};

/**
 * How a kind writes spec.selector: a ReplicationController's is a plain label
 * map, defaulted to the template's labels when absent or empty; the others'
 * are label selectors (matchLabels, matchExpressions).
 */
const SELECTOR_SHAPES: Readonly<Record<string, SelectorShape>> = {
  '/ReplicationController': 'labels',
  'apps/Deployment': 'labelSelector',
  'apps/StatefulSet': 'labelSelector',
  'apps/DaemonSet': 'labelSelector',
  'apps/ReplicaSet': 'labelSelector',
  'batch/Job': 'labelSelector',
  'argoproj.io/Rollout': 'labelSelector',
};

/** A plain label map, or a label selector with matchLabels and matchExpressions. */
export type SelectorShape = 'labels' | 'labelSelector';

/** The shape of the selector a workload kind selects its own pods with, or undefined for kinds without one. */
export function selectorShape(object: K8sObject): SelectorShape | undefined {
  return typeof object.kind === 'string' ? SELECTOR_SHAPES[`${apiGroup(object.apiVersion)}/${object.kind}`] : undefined;
}

/** Kinds an HPA or a KEDA ScaledObject can scale: they have a scale subresource. */
export const SCALABLE_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Rollout'];

/** An object's pod spec, with its path and the labels its pods carry. */
export interface PodSpecAt {
  readonly spec: Record<string, unknown>;
  readonly path: PropPath;
  /** Path of the pod's metadata: the template's, or the Pod's own. */
  readonly metadataPath: PropPath;
  readonly labels: Readonly<Record<string, unknown>>;
  readonly annotations: Readonly<Record<string, unknown>>;
  /** True for a Windows pod (`spec.os.name: windows`), which some Pod Security controls exempt. */
  readonly windows: boolean;
}

/** Where a container sits in its pod. */
export type ContainerKind = 'initContainers' | 'containers' | 'ephemeralContainers';

/** One container of a pod spec, with its path. */
export interface ContainerAt {
  readonly container: Record<string, unknown>;
  readonly path: PropPath;
  readonly name: string;
  readonly kind: ContainerKind;
  /** True for the containers that run with the pod: regular ones and native sidecars (init containers with restartPolicy Always). */
  readonly running: boolean;
}

/** The API group of an apiVersion: '' for the core group. */
export function apiGroup(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Per kind, the paths of its pod spec, of the pod's metadata, labels and annotations. */
const POD_PATHS = new Map(Object.entries(POD_SPEC_PATHS).map(([kind, path]) => {
  const metadataPath = [...path.slice(0, -1), 'metadata'];
  return [kind, { path, metadataPath, labelsPath: [...metadataPath, 'labels'], annotationsPath: [...metadataPath, 'annotations'] }];
}));

/** The pod spec of a workload object, or undefined for kinds that have none. */
export function findPodSpec(object: K8sObject): PodSpecAt | undefined {
  const paths = typeof object.kind === 'string' ? POD_PATHS.get(`${apiGroup(object.apiVersion)}/${object.kind}`) : undefined;
  if (!paths) return undefined;
  const spec = recordAt(object, paths.path);
  return {
    spec,
    path: paths.path,
    metadataPath: paths.metadataPath,
    labels: recordAt(object, paths.labelsPath),
    annotations: recordAt(object, paths.annotationsPath),
    windows: recordAt(spec, ['os']).name === 'windows',
  };
}

/** Every container of a pod spec: init, regular and ephemeral. Entries that are not objects are left to K8S-SCHEMA. */
export function findContainers(pod: PodSpecAt): ContainerAt[] {
  return (['initContainers', 'containers', 'ephemeralContainers'] as const).flatMap((kind) =>
    listAt(pod.spec, [kind]).flatMap((container, index) => {
      if (container === null || typeof container !== 'object' || Array.isArray(container)) return [];
      const record = container as Record<string, unknown>;
      return [{
        container: record,
        path: [...pod.path, kind, index],
        name: typeof record.name === 'string' ? record.name : `#${index}`,
        kind,
        running: kind === 'containers' || (kind === 'initContainers' && record.restartPolicy === 'Always'),
      }];
    }));
}

/** True when every key of `selector` has the same value in `labels`. */
export function selects(selector: Readonly<Record<string, unknown>>, labels: Readonly<Record<string, unknown>>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/**
 * True when a full label selector (matchLabels and matchExpressions) selects
 * `labels`; an empty selector selects nothing here, as for workloads.
 */
export function selectorMatches(selector: Readonly<Record<string, unknown>>, labels: Readonly<Record<string, unknown>>): boolean {
  const matchLabels = isRecordLike(selector.matchLabels) ? selector.matchLabels : {};
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return false;
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value) && expressions.every((e) => {
    if (!isRecordLike(e) || typeof e.key !== 'string') return false;
    const values = Array.isArray(e.values) ? e.values : [];
    switch (e.operator) {
      case 'In': return values.includes(labels[e.key]);
      case 'NotIn': return !values.includes(labels[e.key]);
      case 'Exists': return e.key in labels;
      case 'DoesNotExist': return !(e.key in labels);
      default: return false;
    }
  });
}

function isRecordLike(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
