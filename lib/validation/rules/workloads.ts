import { imageProblem } from '../../workload/image';
import { compareQuantities, isQuantity } from '../../workload/quantity';
import { at, type Finding, type K8sObject, listAt, recordAt } from '../manifest';
import { containersOf, podSpecOf, SCALABLE_KINDS, selects } from '../pod-specs';
import { namespaceOf, type Rule, type RunIndex } from '../rule';

// Rules about one workload's pods: resources, images, secrets, probes.

export const RESOURCE_REQUESTS: Rule = {
  id: 'RESOURCE-REQUESTS',
  rationale: 'Without cpu and memory requests the scheduler packs pods blindly and a CPU-utilization HPA shows <unknown>.',
  fix: 'Set resources.requests.cpu and resources.requests.memory on every container, init containers included.',
  kubeLinter: 'unset-cpu-requirements, unset-memory-requirements',
  polaris: 'cpuRequestsMissing, memoryRequestsMissing',
  suppressible: true,
  check({ object }) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    return containersOf(pod)
      .filter((c) => c.path[c.path.length - 2] !== 'ephemeralContainers')
      .flatMap((c) => ['cpu', 'memory']
        .filter((resource) => requestOf(c.container, resource) === undefined)
        .map((resource) => ({ path: [...c.path, 'resources', 'requests', resource], message: `container '${c.name}' has no ${resource} request` })));
  },
};

export const REQUESTS_WITHIN_LIMITS: Rule = {
  id: 'REQUESTS-WITHIN-LIMITS',
  rationale: 'A request above its limit is rejected by the API server.',
  fix: 'Lower the request or raise the limit.',
  kubeLinter: '-',
  polaris: '-',
  suppressible: false,
  check({ object }) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    return containersOf(pod).flatMap((c) => Object.entries(recordAt(c.container, ['resources', 'limits'])).flatMap(([resource, limit]) => {
      const request = recordAt(c.container, ['resources', 'requests'])[resource];
      const comparable = [request, limit].every((q) => (typeof q === 'string' || typeof q === 'number') && isQuantity(q));
      return comparable && compareQuantities(request as string, limit as string) > 0
        ? [{ path: [...c.path, 'resources', 'requests', resource], message: `container '${c.name}' requests ${String(request)} ${resource}, above its limit ${String(limit)}` }]
        : [];
    }));
  },
};

export const IMAGE_PINNED: Rule = {
  id: 'IMAGE-PINNED',
  rationale: 'An image without a tag, or tagged latest, changes under the same manifest: a Git commit no longer says what runs.',
  fix: 'Pin a version tag (server:1.4.2) or a digest (server@sha256:...).',
  kubeLinter: 'latest-tag',
  polaris: 'tagNotSpecified',
  suppressible: true,
  check({ object }) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    return containersOf(pod).flatMap((c) => {
      const problem = imageProblem(String(c.container.image ?? ''));
      return problem ? [{ path: [...c.path, 'image'], message: `container '${c.name}': ${problem}` }] : [];
    });
  },
};

// Whole words of an environment variable name that mean a credential: HF_TOKEN,
// DB_PASSWORD, OPENAI_API_KEY. Matching words rather than substrings keeps
// TOKENIZERS_PARALLELISM and MAX_TOKENS out.
const SECRET_WORDS = ['PASSWORD', 'PASSWD', 'PASS', 'TOKEN', 'SECRET', 'APIKEY', 'CREDENTIALS', 'CREDENTIAL'];
const SECRET_PHRASES = ['API_KEY', 'ACCESS_KEY', 'PRIVATE_KEY', 'SECRET_KEY'];

/** True when an environment variable of this name probably holds a credential. */
export function looksLikeSecret(name: string): boolean {
  const upper = name.toUpperCase();
  const words = upper.split(/[^A-Z0-9]+/);
  return words.some((w) => SECRET_WORDS.includes(w)) || SECRET_PHRASES.some((p) => `_${upper}_`.includes(`_${p}_`));
}

export const ENV_SECRET_LITERAL: Rule = {
  id: 'ENV-SECRET-LITERAL',
  rationale: 'A credential written as a literal env value is committed to Git and readable by anyone who can read the Deployment.',
  fix: 'Keep it in a Secret and read it with valueFrom.secretKeyRef (in a workload file: env: { NAME: { secretKeyRef: { name, key } } }).',
  kubeLinter: 'env-var-secret',
  polaris: 'sensitiveContainerEnvVar',
  suppressible: true,
  check({ object }) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    return containersOf(pod).flatMap((c) => listAt(c.container, ['env']).flatMap((env, i) => {
      const { name, value } = recordAt(env, []);
      return typeof name === 'string' && looksLikeSecret(name) && typeof value === 'string' && value !== ''
        ? [{ path: [...c.path, 'env', i, 'value'], message: `container '${c.name}' sets ${name} to a literal value` }]
        : [];
    }));
  },
};

const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'] as const;

export const PROBE_PORT: Rule = {
  id: 'PROBE-PORT',
  rationale: 'A probe on a port the container does not declare never succeeds: the pod never becomes ready, or is restarted forever.',
  fix: 'Point the probe at a containerPort of the container, by number or by name.',
  kubeLinter: 'liveness-port, readiness-port, startup-port',
  polaris: '-',
  suppressible: true,
  check({ object }) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    return containersOf(pod).flatMap((c) => PROBES.flatMap((probe) => {
      const handler = (['httpGet', 'tcpSocket', 'grpc'] as const).find((h) => at(c.container, [probe, h]) !== undefined);
      if (!handler) return [];
      const port = at(c.container, [probe, handler, 'port']);
      // A numbered port need not be declared (a container may listen on more than it lists); a name must resolve.
      return typeof port === 'string' && !/^\d+$/.test(port) && !declaresPort([c.container], port)
        ? [{ path: [...c.path, probe, handler, 'port'], message: `container '${c.name}' has no port named '${port}'` }]
        : [];
    }));
  },
};

/** True when one of `containers` declares `port` (a number or a name). */
export function declaresPort(containers: readonly Record<string, unknown>[], port: unknown): boolean {
  return containers.some((container) => listAt(container, ['ports']).some((p) => {
    const { name, containerPort } = recordAt(p, []);
    return typeof port === 'number' || /^\d+$/.test(String(port)) ? Number(containerPort) === Number(port) : name === port;
  }));
}

function requestOf(container: Record<string, unknown>, resource: string): unknown {
  // A limit alone sets the request, as the API server does.
  return recordAt(container, ['resources', 'requests'])[resource] ?? recordAt(container, ['resources', 'limits'])[resource];
}

// Rules that relate objects of one run: Services to pods, HPAs and PDBs to workloads.

export const SERVICE_SELECTOR: Rule = {
  id: 'SERVICE-SELECTOR',
  rationale: 'A Service whose selector matches no pod template has no endpoints: every call to it fails.',
  fix: "Make spec.selector match the pod template labels of a workload in the same namespace (app.kubernetes.io/name and instance for cdk8s-ml's).",
  kubeLinter: 'dangling-service',
  polaris: '-',
  suppressible: true,
  check({ object }, run) {
    if (object.kind !== 'Service' || recordAt(object, ['spec']).type === 'ExternalName') return [];
    const selector = recordAt(object, ['spec', 'selector']);
    // A Service without a selector is one whose endpoints are managed by hand.
    if (Object.keys(selector).length === 0) return [];
    return run.podTemplates(namespaceOf(object)).some((t) => selects(selector, t.pod.labels))
      ? []
      : [{ path: ['spec', 'selector'], message: `no pod template in this run has the labels ${JSON.stringify(selector)}` }];
  },
};

export const SERVICE_TARGET_PORT: Rule = {
  id: 'SERVICE-TARGET-PORT',
  rationale: 'A Service whose targetPort is not a port of the selected containers forwards to nothing (a port name resolves to no endpoint).',
  fix: 'Set targetPort to a containerPort (number or name) of the selected containers.',
  kubeLinter: '-',
  polaris: '-',
  suppressible: true,
  check({ object }, run) {
    if (object.kind !== 'Service') return [];
    const selector = recordAt(object, ['spec', 'selector']);
    if (Object.keys(selector).length === 0) return [];
    const containers = run.podTemplates(namespaceOf(object)).filter((t) => selects(selector, t.pod.labels)).flatMap((t) => containersOf(t.pod).map((c) => c.container));
    if (containers.length === 0) return [];
    return listAt(object, ['spec', 'ports']).flatMap((port, i) => {
      const { targetPort, port: servicePort } = recordAt(port, []);
      const target = targetPort ?? servicePort;
      return declaresPort(containers, target)
        ? []
        : [{ path: ['spec', 'ports', i, 'targetPort'], message: `no selected container declares port ${String(target)}` }];
    });
  },
};

export const HPA_TARGET_EXISTS: Rule = {
  id: 'HPA-TARGET-EXISTS',
  rationale: 'An HPA whose scaleTargetRef names no workload of the run scales nothing (or a stranger).',
  fix: 'Point spec.scaleTargetRef at a Deployment or StatefulSet of the same namespace, by kind, apiVersion and name.',
  kubeLinter: 'dangling-horizontalpodautoscaler',
  polaris: '-',
  suppressible: true,
  check({ object }, run) {
    if (object.kind !== 'HorizontalPodAutoscaler') return [];
    const target = recordAt(object, ['spec', 'scaleTargetRef']);
    // A missing reference is K8S-SCHEMA's to report.
    return target.name === undefined || run.find(target.kind, namespaceOf(object), target.name)
      ? []
      : [{ path: ['spec', 'scaleTargetRef'], message: `no ${String(target.kind)} named '${String(target.name)}' in this run` }];
  },
};

export const HPA_NO_REPLICAS: Rule = {
  id: 'HPA-NO-REPLICAS',
  rationale: 'An autoscaled workload that also sets spec.replicas is reset on every sync: the HPA and Argo CD fight over it.',
  fix: 'Remove spec.replicas from the workload; set the HPA minReplicas instead.',
  kubeLinter: '-',
  polaris: '-',
  suppressible: true,
  check({ object }, run) {
    if (typeof object.kind !== 'string' || !SCALABLE_KINDS.includes(object.kind)) return [];
    const replicas = at(object, ['spec', 'replicas']);
    const scalers = run.autoscalersOf(object);
    return replicas !== undefined && scalers.length > 0
      ? [{ path: ['spec', 'replicas'], message: `spec.replicas is ${String(replicas)}, but HorizontalPodAutoscaler '${String(scalers[0].object.metadata?.name)}' scales it` }]
      : [];
  },
};

export const HPA_REPLICA_RANGE: Rule = {
  id: 'HPA-REPLICA-RANGE',
  rationale: 'minReplicas above maxReplicas is rejected; minReplicas 0 needs an alpha feature gate and is rejected by most clusters.',
  fix: 'Use 1 <= minReplicas <= maxReplicas; scale to zero with a KEDA ScaledObject instead.',
  kubeLinter: '-',
  polaris: 'hpaMinAvailability',
  suppressible: false,
  check({ object }) {
    if (object.kind !== 'HorizontalPodAutoscaler') return [];
    const min = at(object, ['spec', 'minReplicas']) ?? 1;
    const max = at(object, ['spec', 'maxReplicas']);
    const findings: Finding[] = [];
    if (typeof min === 'number' && min < 1) findings.push({ path: ['spec', 'minReplicas'], message: `minReplicas is ${min}` });
    if (typeof min === 'number' && typeof max === 'number' && min > max) findings.push({ path: ['spec', 'maxReplicas'], message: `maxReplicas ${max} is below minReplicas ${min}` });
    return findings;
  },
};

export const HPA_METRIC_REQUESTS: Rule = {
  id: 'HPA-METRIC-REQUESTS',
  rationale: 'A Resource or ContainerResource utilization metric is a percentage of the request: a container without that request leaves the HPA at <unknown>.',
  fix: 'Request the resource on every container of the target (for ContainerResource, on the named container).',
  kubeLinter: '-',
  polaris: '-',
  suppressible: true,
  check({ object }, run) {
    if (object.kind !== 'HorizontalPodAutoscaler') return [];
    const target = recordAt(object, ['spec', 'scaleTargetRef']);
    const targetManifest = run.find(target.kind, namespaceOf(object), target.name);
    const pod = targetManifest && podSpecOf(targetManifest.object);
    if (!pod) return [];
    // The pod's running containers: regular ones and native sidecars (init containers that keep running).
    const containers = containersOf(pod).filter((c) => c.path[c.path.length - 2] === 'containers'
      || (c.path[c.path.length - 2] === 'initContainers' && c.container.restartPolicy === 'Always'));
    return listAt(object, ['spec', 'metrics']).flatMap((metric, i) => {
      const { type } = recordAt(metric, []);
      const source = type === 'Resource' ? recordAt(metric, ['resource']) : type === 'ContainerResource' ? recordAt(metric, ['containerResource']) : undefined;
      if (!source || recordAt(source, ['target']).type !== 'Utilization') return [];
      const resource = String(source.name);
      const checked = type === 'ContainerResource' ? containers.filter((c) => c.name === source.container) : containers;
      return checked.filter((c) => requestOf(c.container, resource) === undefined).map((c) => ({
        path: ['spec', 'metrics', i],
        message: `${resource} utilization needs a ${resource} request, and container '${c.name}' of ${String(target.kind)} '${String(target.name)}' has none`,
      }));
    });
  },
};

export const PDB_ALLOWS_EVICTION: Rule = {
  id: 'PDB-ALLOWS-EVICTION',
  rationale: 'A PodDisruptionBudget that allows no eviction blocks every node drain and cluster upgrade.',
  fix: 'Use maxUnavailable: 1 (or a minAvailable below the fewest replicas the workload runs).',
  kubeLinter: 'pdb-max-unavailable, pdb-min-available',
  polaris: 'pdbDisruptionsIsZero, pdbMinAvailableGreaterThanHPAMinReplicas',
  suppressible: true,
  check({ object }, run) {
    if (object.kind !== 'PodDisruptionBudget') return [];
    const spec = recordAt(object, ['spec']);
    if (spec.maxUnavailable !== undefined) {
      return spec.maxUnavailable === 0 || spec.maxUnavailable === '0%' ? [{ path: ['spec', 'maxUnavailable'], message: `maxUnavailable is ${String(spec.maxUnavailable)}` }] : [];
    }
    if (spec.minAvailable === '100%') return [{ path: ['spec', 'minAvailable'], message: 'minAvailable is 100%' }];
    if (typeof spec.minAvailable !== 'number') return [];
    const selector = recordAt(spec, ['selector', 'matchLabels']);
    return run.podTemplates(namespaceOf(object)).filter((t) => selects(selector, t.pod.labels)).flatMap((t) => {
      const fewest = fewestReplicas(t.manifest.object, run);
      return fewest !== undefined && (spec.minAvailable as number) >= fewest
        ? [{ path: ['spec', 'minAvailable'], message: `minAvailable ${String(spec.minAvailable)} is not below the ${fewest} replica(s) ${String(t.manifest.object.kind)} '${String(t.manifest.object.metadata?.name)}' may run, so no pod can ever be evicted` }]
        : [];
    });
  },
};

function fewestReplicas(object: K8sObject, run: RunIndex): number | undefined {
  const scaler = run.autoscalersOf(object)[0];
  if (scaler) return Number(at(scaler.object, ['spec', 'minReplicas']) ?? 1);
  const replicas = at(object, ['spec', 'replicas']);
  return typeof replicas === 'number' ? replicas : SCALABLE_KINDS.includes(String(object.kind)) ? 1 : undefined;
}
