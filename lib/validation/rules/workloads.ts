import { HPA_DEFAULT_MIN_REPLICAS, HPA_MIN_REPLICAS, replicaRangeProblem } from '../../core/replica-range';
import { imageProblem } from '../../core/image';
import { blocksEveryEviction, keepsEveryPod, podsKept } from '../../hardening/disruption-budget';
import { isQuantity } from '../../core/quantity';
import { requestLimitProblem } from '../../core/resource-limits';
import type { Quantity } from '../../core/workload-props';
import { at, type Finding, type K8sObject, isRecord, listAt, recordAt, show } from '../manifest';
import { apiGroup, type ContainerAt, SCALABLE_KINDS } from '../pod-specs';
import { catalogued, namespaceOf, type PodTemplateEntry, type Rule, type RunIndex } from '../rule';

// Rules about one workload's pods: resources, images, probes (secrets are in secrets.ts).

/** A rule over each container of any workload kind. */
function containerRule(rule: Omit<Rule, 'check'>, check: (c: ContainerAt) => Finding[]): Rule {
  return {
    ...rule,
    check({ object }, run) {
      const pod = run.podSpec(object);
      return pod ? run.containers(pod).flatMap(check) : [];
    },
  };
}

function requestOf(container: Record<string, unknown>, resource: string): unknown {
  // A limit alone sets the request, as the API server does.
  return recordAt(container, ['resources', 'requests'])[resource] ?? recordAt(container, ['resources', 'limits'])[resource];
}

function isQuantityValue(value: unknown): value is Quantity {
  return (typeof value === 'string' || typeof value === 'number') && isQuantity(value);
}

export const RESOURCE_REQUESTS = containerRule({
  ...catalogued('RESOURCE-REQUESTS'),
  rationale: 'Without cpu and memory requests the scheduler packs pods blindly and a CPU-utilization HPA shows <unknown>.',
  fix: 'Set resources.requests.cpu and resources.requests.memory on every container, init containers included.',
  kubeLinter: 'unset-cpu-requirements, unset-memory-requirements',
  polaris: 'cpuRequestsMissing, memoryRequestsMissing',
}, (c) => c.kind === 'ephemeralContainers' ? [] : ['cpu', 'memory']
  .filter((resource) => requestOf(c.container, resource) === undefined)
  .map((resource) => ({ path: [...c.path, 'resources', 'requests', resource], message: `container '${c.name}' has no ${resource} request` })));

export const REQUESTS_WITHIN_LIMITS = containerRule({
  ...catalogued('REQUESTS-WITHIN-LIMITS'),
  rationale: 'The API server rejects a request above its limit, and an extended resource (a GPU) or huge pages requested differently from their limit, or without one.',
  fix: 'Lower the request or raise the limit; give a GPU or huge pages only as a limit, which is also the request.',
  kubeLinter: '-',
  polaris: '-',
}, (c) => {
  const requests = recordAt(c.container, ['resources', 'requests']);
  const limits = recordAt(c.container, ['resources', 'limits']);
  return [...new Set([...Object.keys(requests), ...Object.keys(limits)])].flatMap((resource): Finding[] => {
    const request = requests[resource];
    const limit = limits[resource];
    const finding = (message: string): Finding[] => [{ path: [...c.path, 'resources', 'requests', resource], message }];
    // A value that is no quantity is K8S-SCHEMA's to report; without a limit, only that a request is there counts.
    if (request === undefined || (limit !== undefined && !(isQuantityValue(request) && isQuantityValue(limit)))) return [];
    switch (requestLimitProblem(resource, request as Quantity, limit as Quantity | undefined)) {
      case 'no-limit': return finding(`container '${c.name}' requests ${resource} without a limit`);
      case 'unequal': return finding(`container '${c.name}' requests ${show(request)} ${resource} but limits it to ${show(limit)}`);
      case 'above-limit': return finding(`container '${c.name}' requests ${show(request)} ${resource}, above its limit ${show(limit)}`);
      default: return [];
    }
  });
});

export const IMAGE_PINNED = containerRule({
  ...catalogued('IMAGE-PINNED'),
  rationale: 'An image without a tag, or tagged latest, changes under the same manifest: a Git commit no longer says what runs.',
  fix: 'Pin a version tag (server:1.4.2) or a digest (server@sha256:...).',
  kubeLinter: 'latest-tag',
  polaris: 'tagNotSpecified',
}, (c) => {
  const problem = typeof c.container.image === 'string' ? imageProblem(c.container.image) : undefined;
  return problem ? [{ path: [...c.path, 'image'], message: `container '${c.name}': ${problem}` }] : [];
});

const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'] as const;

export const PROBE_PORT = containerRule({
  ...catalogued('PROBE-PORT'),
  rationale: 'A probe on a port name the container does not declare as a TCP port never succeeds: the pod never becomes ready, or is restarted forever.',
  fix: 'Name a TCP port of the container\'s ports, or give the port as a number.',
  kubeLinter: 'liveness-port, readiness-port, startup-port',
  polaris: '-',
}, (c) => PROBES.flatMap((probe) => {
  const handler = (['httpGet', 'tcpSocket', 'grpc'] as const).find((h) => at(c.container, [probe, h]) !== undefined);
  if (!handler) return [];
  const port = at(c.container, [probe, handler, 'port']);
  // A number need not be declared (a container may listen on more than it lists); a name must resolve,
  // to a TCP port: every probe handler connects over TCP.
  if (typeof port !== 'string' || declaresPort([c], port, 'TCP')) return [];
  const hint = /^\d+$/.test(port) ? ' (a quoted number is a name: write it unquoted)' : declaresPort([c], port) ? ' (it is declared for another protocol; probes connect over TCP)' : '';
  return [{ path: [...c.path, probe, handler, 'port'], message: `container '${c.name}' has no TCP port named '${port}'${hint}` }];
}));

/** True when one of `containers` declares `port`, by name or containerPort number; for `protocol` when given. */
function declaresPort(containers: readonly ContainerAt[], port: string | number, protocol?: string): boolean {
  return containers.some((c) => listAt(c.container, ['ports']).filter(isRecord).some((p) =>
    (protocol === undefined || (p.protocol ?? 'TCP') === protocol) && (typeof port === 'string' ? p.name === port : p.containerPort === port)));
}

// Rules that relate objects of one run: Services to pods, HPAs and PDBs to workloads.

function serviceSelector(object: K8sObject): Record<string, unknown> | undefined {
  if (object.kind !== 'Service' || recordAt(object, ['spec']).type === 'ExternalName') return undefined;
  const selector = recordAt(object, ['spec', 'selector']);
  // A Service without a selector has endpoints managed by hand.
  return Object.keys(selector).length > 0 ? selector : undefined;
}

export const SERVICE_SELECTOR: Rule = {
  ...catalogued('SERVICE-SELECTOR'),
  rationale: 'A Service whose selector matches no pod template has no endpoints: every call to it fails.',
  fix: "Make spec.selector match the pod template labels of a workload in the same namespace (app.kubernetes.io/name and instance for cdk8s-ml's).",
  kubeLinter: 'dangling-service',
  polaris: '-',
  check({ object }, run) {
    const selector = serviceSelector(object);
    const namespace = namespaceOf(object);
    return selector && run.selected(namespace, selector).length === 0
      ? [{ path: ['spec', 'selector'], message: `no pod template ${namespace ? `in namespace ${namespace} ` : ''}in this run has the labels ${show(selector)}` }]
      : [];
  },
};

export const SERVICE_TARGET_PORT: Rule = {
  ...catalogued('SERVICE-TARGET-PORT'),
  rationale: "A Service forwards to a targetPort of the selected pods' running containers: a name they do not declare (for the port's protocol) gets no endpoint, and an undeclared number usually reaches nothing.",
  fix: 'Set targetPort to a port name, or a declared containerPort, of the selected containers (same protocol); declare the port if the container listens on it.',
  kubeLinter: 'dangling-service (invalid-target-ports)',
  polaris: '-',
  check({ object }, run) {
    const selector = serviceSelector(object);
    if (!selector) return [];
    const templates = run.selected(namespaceOf(object), selector);
    return listAt(object, ['spec', 'ports']).flatMap((port, i) => {
      if (!isRecord(port)) return [];
      const target = port.targetPort ?? port.port;
      // A port that is neither a number nor a name is K8S-SCHEMA's to report.
      if (typeof target !== 'string' && typeof target !== 'number') return [];
      const protocol = typeof port.protocol === 'string' ? port.protocol : 'TCP';
      // Each selected workload must serve the port: endpoints come from every pod the selector matches.
      return templates.filter((t) => !servesPort(t, run, target, protocol)).map((t) => ({
        path: ['spec', 'ports', i, 'targetPort'],
        message: `${show(t.manifest.object.kind)} '${show(t.manifest.object.metadata?.name)}' declares no ${protocol} port ${typeof target === 'string' ? `named '${target}'` : show(target)}`,
      }));
    });
  },
};

function servesPort(template: PodTemplateEntry, run: RunIndex, target: string | number, protocol: string): boolean {
  return declaresPort(run.containers(template.pod).filter((c) => c.running), target, protocol);
}

/** The object an HPA (or ScaledObject) scales, if it is in the run and can be scaled. */
function scaleTarget(object: K8sObject, run: RunIndex): K8sObject | undefined {
  const target = recordAt(object, ['spec', 'scaleTargetRef']);
  return run.find(target.kind ?? 'Deployment', namespaceOf(object), target.name)
    .find((m) => target.apiVersion === undefined || apiGroup(m.object.apiVersion) === apiGroup(target.apiVersion))?.object;
}

function isAutoscaler(object: K8sObject): boolean {
  return object.kind === 'HorizontalPodAutoscaler' || (object.kind === 'ScaledObject' && apiGroup(object.apiVersion) === 'keda.sh');
}

export const HPA_TARGET_EXISTS: Rule = {
  ...catalogued('HPA-TARGET-EXISTS'),
  rationale: 'An HPA or KEDA ScaledObject whose scaleTargetRef names no scalable workload of the run scales nothing (or a stranger).',
  fix: 'Point spec.scaleTargetRef at a Deployment or StatefulSet of the same namespace, with its apiVersion, kind and name.',
  kubeLinter: 'dangling-horizontalpodautoscaler',
  polaris: '-',
  check({ object }, run) {
    if (!isAutoscaler(object)) return [];
    const target = recordAt(object, ['spec', 'scaleTargetRef']);
    // A missing reference is K8S-SCHEMA's to report.
    if (target.name === undefined) return [];
    if (!SCALABLE_KINDS.includes(show(target.kind ?? 'Deployment'))) {
      return [{ path: ['spec', 'scaleTargetRef', 'kind'], message: `a ${show(target.kind)} cannot be scaled (it has no scale subresource)` }];
    }
    return scaleTarget(object, run) ? [] : [{ path: ['spec', 'scaleTargetRef'], message: `no ${show(target.kind ?? 'Deployment')} '${show(target.name)}' of ${show(target.apiVersion ?? 'apps/v1')} in this run` }];
  },
};

export const ONE_AUTOSCALER: Rule = {
  ...catalogued('ONE-AUTOSCALER'),
  rationale: 'Two autoscalers on one workload (two HPAs, or an HPA and a KEDA ScaledObject) overwrite each other\'s replica count every few seconds.',
  fix: 'Keep one: a ScaledObject (KEDA runs its own HPA) or a single HPA with every metric.',
  kubeLinter: '-',
  polaris: '-',
  check({ object }, run) {
    if (typeof object.kind !== 'string' || !SCALABLE_KINDS.includes(object.kind)) return [];
    const scalers = run.autoscalersOf(object);
    return scalers.length > 1
      ? [{ path: ['metadata', 'name'], message: `${scalers.map((s) => `${show(s.object.kind)} '${show(s.object.metadata?.name)}'`).join(' and ')} ${scalers.length === 2 ? 'both' : 'all'} scale it` }]
      : [];
  },
};

export const HPA_NO_REPLICAS: Rule = {
  ...catalogued('HPA-NO-REPLICAS'),
  rationale: 'An autoscaled workload that also sets spec.replicas is reset on every sync: the autoscaler and Argo CD fight over it.',
  fix: 'Remove spec.replicas from the workload; set the HPA minReplicas (or the ScaledObject minReplicaCount) instead.',
  kubeLinter: '-',
  polaris: '-',
  check({ object }, run) {
    if (typeof object.kind !== 'string' || !SCALABLE_KINDS.includes(object.kind)) return [];
    const replicas = at(object, ['spec', 'replicas']);
    const scaler = run.autoscalersOf(object)[0];
    return replicas !== undefined && replicas !== null && scaler
      ? [{ path: ['spec', 'replicas'], message: `spec.replicas is ${show(replicas)}, but ${show(scaler.object.kind)} '${show(scaler.object.metadata?.name)}' scales it` }]
      : [];
  },
};

export const HPA_REPLICA_RANGE: Rule = {
  ...catalogued('HPA-REPLICA-RANGE'),
  rationale: 'The API server rejects maxReplicas below 1 or below minReplicas; minReplicas 0 needs an alpha feature gate most clusters do not have.',
  fix: 'Use 1 <= minReplicas <= maxReplicas; scale to zero with a KEDA ScaledObject instead.',
  kubeLinter: '-',
  polaris: '-',
  check({ object }) {
    if (object.kind !== 'HorizontalPodAutoscaler') return [];
    const min = at(object, ['spec', 'minReplicas']) ?? HPA_DEFAULT_MIN_REPLICAS;
    const max = at(object, ['spec', 'maxReplicas']);
    const findings: Finding[] = [];
    if (typeof min === 'number' && min < HPA_MIN_REPLICAS) findings.push({ path: ['spec', 'minReplicas'], message: `minReplicas is ${min}` });
    // A minReplicas that is no number is K8S-SCHEMA's to report; the range is then judged from the default.
    const problem = typeof max === 'number' ? replicaRangeProblem(typeof min === 'number' ? min : HPA_DEFAULT_MIN_REPLICAS, max) : undefined;
    if (problem === 'max-below-one') findings.push({ path: ['spec', 'maxReplicas'], message: `maxReplicas is ${max}` });
    else if (problem === 'max-below-min') findings.push({ path: ['spec', 'maxReplicas'], message: `maxReplicas ${max} is below minReplicas ${min}` });
    return findings;
  },
};

/** The utilization metrics of an HPA of any version or a ScaledObject, as [resource, container or undefined, path]. */
function utilizationMetrics(object: K8sObject): [string, string | undefined, (string | number)[]][] {
  if (object.kind === 'ScaledObject') {
    return listAt(object, ['spec', 'triggers']).flatMap((trigger, i): [string, string | undefined, (string | number)[]][] => {
      const { type, metricType, metadata } = recordAt(trigger, []);
      return (type === 'cpu' || type === 'memory') && metricType === 'Utilization'
        ? [[type, typeof recordAt(metadata, []).containerName === 'string' ? recordAt(metadata, []).containerName as string : undefined, ['spec', 'triggers', i]]]
        : [];
    });
  }
  if (object.apiVersion === 'autoscaling/v1') return [['cpu', undefined, ['spec', 'targetCPUUtilizationPercentage']]];
  const metrics = at(object, ['spec', 'metrics']);
  // Without metrics an HPA scales on 80% cpu utilization.
  if (metrics === undefined) return [['cpu', undefined, ['spec', 'metrics']]];
  return listAt(object, ['spec', 'metrics']).flatMap((metric, i): [string, string | undefined, (string | number)[]][] => {
    const { type } = recordAt(metric, []);
    const source = type === 'Resource' ? recordAt(metric, ['resource']) : type === 'ContainerResource' ? recordAt(metric, ['containerResource']) : undefined;
    if (!source || recordAt(source, ['target']).type !== 'Utilization' || typeof source.name !== 'string') return [];
    return [[source.name, type === 'ContainerResource' ? show(source.container) : undefined, ['spec', 'metrics', i]]];
  });
}

export const HPA_METRIC_REQUESTS: Rule = {
  ...catalogued('HPA-METRIC-REQUESTS'),
  rationale: 'A utilization metric is a percentage of the request: a running container without that request leaves the HPA at <unknown>.',
  fix: 'Request the resource on every running container of the target (for ContainerResource, on the named container).',
  kubeLinter: '-',
  polaris: '-',
  check({ object }, run) {
    if (!isAutoscaler(object)) return [];
    const target = scaleTarget(object, run);
    const pod = target && run.podSpec(target);
    if (!target || !pod) return [];
    const running = run.containers(pod).filter((c) => c.running);
    const where = `${show(target.kind)} '${show(target.metadata?.name)}'`;
    return utilizationMetrics(object).flatMap(([resource, container, path]) => {
      const checked = container === undefined ? running : running.filter((c) => c.name === container);
      if (container !== undefined && checked.length === 0) return [{ path, message: `${where} has no container '${container}'` }];
      return checked.filter((c) => requestOf(c.container, resource) === undefined).map((c) => ({
        path,
        message: `${resource} utilization needs a ${resource} request, and container '${c.name}' of ${where} has none`,
      }));
    });
  },
};

export const PDB_ALLOWS_EVICTION: Rule = {
  ...catalogued('PDB-ALLOWS-EVICTION'),
  rationale: 'A PodDisruptionBudget that allows no eviction blocks every node drain and cluster upgrade.',
  fix: 'Use maxUnavailable: 1 (or a minAvailable below the fewest pods the selected workloads run).',
  kubeLinter: 'pdb-max-unavailable, pdb-min-available',
  polaris: 'pdbDisruptionsIsZero, pdbMinAvailableGreaterThanHPAMinReplicas',
  check({ object }, run) {
    if (object.kind !== 'PodDisruptionBudget') return [];
    const spec = recordAt(object, ['spec']);
    // Each field is judged on its own: setting both is K8S-SCHEMA's, and either may block every eviction.
    const findings: Finding[] = blocksEveryEviction(spec.maxUnavailable)
      ? [{ path: ['spec', 'maxUnavailable'], message: `maxUnavailable is ${show(spec.maxUnavailable)}` }]
      : [];
    return [...findings, ...minAvailableFindings(spec, namespaceOf(object), run)];
  },
};

function minAvailableFindings(spec: Record<string, unknown>, namespace: string, run: RunIndex): Finding[] {
  if (spec.minAvailable === '100%') return [{ path: ['spec', 'minAvailable'], message: 'minAvailable 100% never lets a pod go' }];
  // Selectors with matchExpressions are not evaluated here.
  if (spec.minAvailable === undefined || recordAt(spec, ['selector']).matchExpressions !== undefined) return [];
  const selected = run.selected(namespace, recordAt(spec, ['selector', 'matchLabels']));
  const counts = selected.map((t) => fewestReplicas(t.manifest.object, run));
  if (selected.length === 0 || counts.some((c) => c === undefined)) return [];
  const pods = (counts as number[]).reduce((a, b) => a + b, 0);
  const needed = podsKept(spec.minAvailable, pods);
  return needed !== undefined && keepsEveryPod(spec.minAvailable, pods)
    ? [{ path: ['spec', 'minAvailable'], message: `minAvailable ${show(spec.minAvailable)} keeps ${needed} of the ${pods} pod(s) the selected workloads may run at their fewest, so no pod can ever be evicted` }]
    : [];
}

function fewestReplicas(object: K8sObject, run: RunIndex): number | undefined {
  const scaler = run.autoscalersOf(object)[0];
  if (scaler) {
    const min = scaler.object.kind === 'ScaledObject' ? at(scaler.object, ['spec', 'minReplicaCount']) ?? 0 : at(scaler.object, ['spec', 'minReplicas']) ?? HPA_DEFAULT_MIN_REPLICAS;
    return typeof min === 'number' ? min : undefined;
  }
  const replicas = at(object, ['spec', 'replicas']);
  if (typeof replicas === 'number') return replicas;
  return SCALABLE_KINDS.includes(show(object.kind)) ? 1 : undefined;
}

