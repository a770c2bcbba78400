import type { PropPath } from '../workload/errors';
import { at, type K8sObject, listAt, recordAt } from './manifest';

/** Where a kind keeps its pod template. */
const POD_SPEC_PATHS: Readonly<Record<string, PropPath>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Kinds an HPA can scale (they have `spec.replicas`). */
export const SCALABLE_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];

/** An object's pod spec, with its path and the labels its pods carry. */
export interface PodSpecAt {
  readonly spec: Record<string, unknown>;
  readonly path: PropPath;
  /** Path of the pod's metadata: the template's, or the Pod's own. */
  readonly metadataPath: PropPath;
  readonly labels: Readonly<Record<string, unknown>>;
  readonly annotations: Readonly<Record<string, unknown>>;
}

/** One container of a pod spec, with its path. */
export interface ContainerAt {
  readonly container: Record<string, unknown>;
  readonly path: PropPath;
  readonly name: string;
}

// Every pod rule asks for the same object's pod spec and containers; each is worked out once.
const podSpecs = new WeakMap<K8sObject, PodSpecAt | null>();
const containerLists = new WeakMap<PodSpecAt, ContainerAt[]>();

/** The pod spec of a workload object, or undefined for kinds that have none. */
export function podSpecOf(object: K8sObject): PodSpecAt | undefined {
  let pod = podSpecs.get(object);
  if (pod === undefined) {
    pod = findPodSpec(object) ?? null;
    podSpecs.set(object, pod);
  }
  return pod ?? undefined;
}

function findPodSpec(object: K8sObject): PodSpecAt | undefined {
  const path = typeof object.kind === 'string' ? POD_SPEC_PATHS[object.kind] : undefined;
  if (!path) return undefined;
  const metadataPath = [...path.slice(0, -1), 'metadata'];
  return {
    spec: recordAt(object, path),
    path,
    metadataPath,
    labels: recordAt(object, [...metadataPath, 'labels']),
    annotations: recordAt(object, [...metadataPath, 'annotations']),
  };
}

/** Every container of a pod spec: init, regular and ephemeral. */
export function containersOf(pod: PodSpecAt): readonly ContainerAt[] {
  let containers = containerLists.get(pod);
  if (!containers) {
    containers = findContainers(pod);
    containerLists.set(pod, containers);
  }
  return containers;
}

function findContainers(pod: PodSpecAt): ContainerAt[] {
  return (['initContainers', 'containers', 'ephemeralContainers'] as const).flatMap((field) =>
    listAt(pod.spec, [field]).map((container, index) => ({
      container: (container ?? {}) as Record<string, unknown>,
      path: [...pod.path, field, index],
      name: String(at(container, ['name']) ?? `#${index}`),
    })));
}

/** True when every key of `selector` has the same value in `labels`. */
export function selects(selector: Readonly<Record<string, unknown>>, labels: Readonly<Record<string, unknown>>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}
