import { z } from 'zod';
import { METRIC_PRESET_NAMES, PIPELINE_MODES, type WorkloadProps } from './workload-props';
import { modelUriProblem } from './model-uri';
import { isRuleId, RULE_CATALOGUE, RULE_IDS } from './rule-ids';
import { imageProblem } from './image';
import { isCidr, isDns1035Label, isDns1123Label, isDns1123Subdomain, isLabelValue, isQualifiedName } from './names';
import { isQuantity } from './quantity';
import { MAX_REPLICAS_FLOOR } from './replica-range';
import { hugePageSize } from './resource-limits';
import { closestMatch } from './suggest';

// The shape of workload props, checked before any object is built. Checks that
// relate two fields (replicas vs autoscaling, requests vs limits) need the
// resolved defaults and live in the feature folders that own the fields, called by
// lib/workload/resolve.ts.

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const STANDARD_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];

export const resourceName = z.string().refine(
  (n) => STANDARD_RESOURCES.includes(n) || isHugePagesName(n) || isExtendedResourceName(n),
  { error: (iss) => `unknown resource '${String(iss.input)}'; use ${STANDARD_RESOURCES.join(', ')}, hugepages-<size> or an extended resource such as nvidia.com/gpu` },
);

function isHugePagesName(n: string): boolean {
  const size = hugePageSize(n);
  return size !== undefined && isQuantity(size);
}

function isExtendedResourceName(n: string): boolean {
  const [prefix, name, ...rest] = n.split('/');
  // kubernetes.io/ names are reserved for Kubernetes' own resources.
  const reserved = prefix === 'kubernetes.io' || prefix.endsWith('.kubernetes.io');
  return rest.length === 0 && name !== undefined && !reserved && isDns1123Subdomain(prefix) && isLabelValue(name);
}

export const workloadName = z.string()
  .max(63, { error: 'must be at most 63 characters (a DNS-1035 label)', abort: true })
  .refine(isDns1035Label, { error: (iss) => `'${String(iss.input)}' is not a DNS-1035 label; use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit` });

const namespaceName = z.string()
  .max(63, { error: 'must be at most 63 characters (a DNS-1123 label)', abort: true })
  .refine(isDns1123Label, { error: (iss) => `'${String(iss.input)}' is not a DNS-1123 label; use lowercase letters, digits and '-', starting and ending with a letter or digit` });

const image = z.string().superRefine((value, ctx) => {
  const problem = imageProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
});

const quantity = z.union([z.string(), z.number()]).refine((q) => isQuantity(q), {
  error: (iss) => `'${String(iss.input)}' is not a Kubernetes quantity; write e.g. 500m, 2, 1Gi or 512Mi`,
});

const CRON_MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

function isCronSchedule(schedule: string): boolean {
  if (CRON_MACROS.includes(schedule) || /^@every \d+(\.\d+)?(ns|us|ms|s|m|h)(\d+(ns|us|ms|s|m|h))*$/.test(schedule)) return true;
  const fields = schedule.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f) => /^[\d*/,?A-Za-z-]+$/.test(f));
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

function policyRuleProblem(id: string): string | undefined {
  if (isRuleId(id)) return RULE_CATALOGUE[id].suppressible ? undefined : `${id} cannot be suppressed: it guards what the API server would reject`;
  const suppressible = RULE_IDS.filter((r) => RULE_CATALOGUE[r].suppressible);
  const hint = closestMatch(id, suppressible);
  return `'${id}' is not a rule; ${hint ? `did you mean '${hint}'?` : `use one of ${suppressible.join(', ')}`}`;
}

const intOrPercent = z.union([z.int().min(0), z.string().regex(/^\d+%$/, { error: (iss) => `'${String(iss.input)}' is neither a number nor a percentage such as 25%` })]);

const port = z.int().min(1).max(65535);
const seconds = z.int().min(0);

const labelKey = z.string().refine(isQualifiedName, {
  error: (iss) => `'${String(iss.input)}' is not a valid label key; use [prefix/]name with a DNS subdomain prefix and a name of at most 63 alphanumerics, '-', '_' or '.'`,
});
const labelValue = z.string().refine((v) => v === '' || isLabelValue(v), {
  error: (iss) => `'${String(iss.input)}' is not a valid label value; use at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`,
});


const keySelector = z.strictObject({
  name: z.string().min(1),
  key: z.string().min(1),
  optional: z.boolean().optional(),
});

const envValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.strictObject({ secretKeyRef: keySelector }),
  z.strictObject({ configMapKeyRef: keySelector }),
  z.strictObject({ fieldRef: z.strictObject({ fieldPath: z.string().min(1) }) }),
]);

const envName = z.string().regex(ENV_NAME, {
  error: (iss) => `'${String(iss.input)}' is not a valid environment variable name; use letters, digits, '_', '-' and '.', not starting with a digit`,
});

const scalingRules = z.strictObject({
  stabilizationWindowSeconds: z.int().min(0).max(3600).optional(),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).optional(),
  policies: z.array(z.strictObject({
    type: z.enum(['Pods', 'Percent']),
    value: z.int().min(1),
    periodSeconds: z.int().min(1).max(1800),
  })).min(1).optional(),
});

const targetQuantity = z.union([z.string(), z.number()]).refine((q) => isQuantity(q), {
  error: (iss) => `'${String(iss.input)}' is not a Kubernetes quantity; write e.g. 500m, 5, 4Gi`,
});

const metricTarget = z.strictObject({
  type: z.enum(['Utilization', 'AverageValue', 'Value']),
  averageUtilization: z.int().min(1).optional(),
  averageValue: targetQuantity.optional(),
  value: targetQuantity.optional(),
}).superRefine((target, ctx) => {
  const field = { Utilization: 'averageUtilization', AverageValue: 'averageValue', Value: 'value' }[target.type];
  for (const key of ['averageUtilization', 'averageValue', 'value'] as const) {
    if (key === field && target[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `is required with type ${target.type}`, input: undefined });
    if (key !== field && target[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `goes with type ${key === 'value' ? 'Value' : key === 'averageValue' ? 'AverageValue' : 'Utilization'}, not ${target.type}; remove it`, input: target[key] });
  }
});

/** A target whose type the metric source allows. */
function targetOf(allowed: readonly string[]) {
  return metricTarget.refine((t) => allowed.includes(t.type), {
    path: ['type'],
    error: (iss) => `this metric source takes a target type of ${allowed.join(' or ')}, not ${String((iss.input as { type?: unknown }).type)}`,
  });
}

const metricIdentifier = z.strictObject({
  name: z.string().min(1),
  selector: z.strictObject({ matchLabels: z.record(z.string(), z.string()).optional() }).optional(),
});

const resourceMetricName = z.enum(['cpu', 'memory'], { error: (iss) => `the metrics API serves cpu and memory only, got ${JSON.stringify(iss.input)}; scale on anything else with a Pods, Object or External metric` });

const metricSpec = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('Resource'), resource: z.strictObject({ name: resourceMetricName, target: targetOf(['Utilization', 'AverageValue']) }) }),
  z.strictObject({ type: z.literal('ContainerResource'), containerResource: z.strictObject({ name: resourceMetricName, container: z.string().min(1), target: targetOf(['Utilization', 'AverageValue']) }) }),
  z.strictObject({ type: z.literal('Pods'), pods: z.strictObject({ metric: metricIdentifier, target: targetOf(['AverageValue']) }) }),
  z.strictObject({
    type: z.literal('Object'),
    object: z.strictObject({
      describedObject: z.strictObject({ apiVersion: z.string().min(1), kind: z.string().min(1), name: z.string().min(1) }),
      metric: metricIdentifier,
      target: targetOf(['Value', 'AverageValue']),
    }),
  }),
  z.strictObject({ type: z.literal('External'), external: z.strictObject({ metric: metricIdentifier, target: targetOf(['Value', 'AverageValue']) }) }),
], { error: (iss) => iss.code === 'invalid_union' ? `must be one of Resource, ContainerResource, Pods, Object, External, got ${JSON.stringify((iss.input as { type?: unknown })?.type)}` : undefined });

const kedaTrigger = z.strictObject({
  type: z.enum(['prometheus', 'kafka', 'rabbitmq', 'aws-sqs-queue', 'cpu', 'memory']),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  name: z.string().min(1).optional(),
  metricType: z.enum(['AverageValue', 'Value', 'Utilization']).optional(),
  authentication: z.strictObject({
    secret: z.string().min(1),
    parameters: z.record(z.string().min(1), z.string().min(1)),
  }).optional(),
  authenticationRef: z.string().min(1).optional(),
});

const absolutePath = z.string().refine((p) => /^\/[^\s:]+$/.test(p) && !p.endsWith('/') && !p.split('/').some((s) => s === '..' || s === '.') && !p.includes('//'), {
  error: (iss) => `'${String(iss.input)}' is not a plain absolute path below '/'; write e.g. /home/app/.cache, without '..', '.', '//' or a trailing '/'`,
});

const httpPath = z.string().regex(/^\/\S*$/, { error: (iss) => `'${String(iss.input)}' is not an HTTP path; start it with '/' and leave out spaces` });

/** Labels: valid keys and values, as Kubernetes checks them. */
export const labelMap = z.record(labelKey, labelValue);

const cidr = z.string().refine(isCidr, { error: (iss) => `'${String(iss.input)}' is not a CIDR block; write e.g. 10.0.0.0/8, 0.0.0.0/0 or fd00::/8` });

const networkPeerShape = {
  namespace: namespaceName.optional(),
  namespaceLabels: labelMap.optional(),
  podLabels: labelMap.optional(),
  cidr: cidr.optional(),
};

function peerProblems(peer: { namespace?: unknown; namespaceLabels?: unknown; podLabels?: unknown; cidr?: unknown }, ctx: z.RefinementCtx): void {
  if (peer.cidr !== undefined && (peer.namespace !== undefined || peer.namespaceLabels !== undefined || peer.podLabels !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['cidr'], message: "an IP block stands alone; give 'cidr' in a peer of its own", input: peer.cidr });
  } else if (peer.namespace !== undefined && peer.namespaceLabels !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['namespaceLabels'], message: "give either 'namespace' or 'namespaceLabels', not both", input: peer.namespaceLabels });
  } else if (Object.values(peer).every((v) => v === undefined)) {
    ctx.addIssue({ code: 'custom', path: [], message: 'an empty peer would admit everything; name a namespace, namespaceLabels, podLabels or a cidr (0.0.0.0/0 for anywhere)', input: peer });
  }
}

const networkPeer = z.strictObject(networkPeerShape).superRefine(peerProblems);
const egressPeer = z.strictObject({ ...networkPeerShape, ports: z.array(port).min(1).optional() }).superRefine(peerProblems);

// Prometheus' duration syntax, as the ServiceMonitor CRD checks it.
const PROMETHEUS_DURATION = /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;

/** A budget number or percentage, as Kubernetes takes it. */
const budgetValue = intOrPercent;

/**
 * Props of the constructs that a workload file (or an environment's defaults and
 * overrides) cannot set, with the reason a file reader reports. They are not in
 * workloadPropsSchema: Workload takes them off before it checks the rest.
 */
export const CONSTRUCT_ONLY_PROPS = {
  validation: "'validation' is not a workload-file key: it turns off the checks app.synth() makes on constructs composed in TypeScript, and synth checks every object of its files; to exempt this workload from one rule, use policy.ignore with a reason",
} as const satisfies { readonly [K in keyof WorkloadProps]?: string };

export const workloadPropsSchema = z.strictObject({
  name: workloadName,
  namespace: namespaceName.optional(),
  image,
  port: port.optional(),
  protocol: z.enum(['http', 'grpc']).optional(),
  service: z.strictObject({
    port: port.optional(),
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).optional(),
    nodePort: port.optional(),
  }).optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(envName, envValue).optional(),
  resources: z.strictObject({
    requests: z.record(resourceName, quantity).optional(),
    limits: z.record(resourceName, quantity).optional(),
  }).optional(),
  replicas: z.int().min(0).optional(),
  autoscaling: z.strictObject({
    minReplicas: z.int().min(0).optional(),
    maxReplicas: z.int().min(MAX_REPLICAS_FLOOR).optional(),
    targetCPUUtilizationPercentage: z.int().min(1).optional(),
    targetMemoryUtilizationPercentage: z.int().min(1).optional(),
    metrics: z.array(metricSpec).optional(),
    engine: z.enum(['hpa', 'keda']).optional(),
    presets: z.array(z.strictObject({ name: z.enum(METRIC_PRESET_NAMES), target: z.number().positive() })).min(1).optional(),
    prometheusAddress: z.url({ protocol: /^https?$/, error: (iss) => `'${String(iss.input)}' is not an http(s) URL of a Prometheus server` }).optional(),
    triggers: z.array(kedaTrigger).min(1).optional(),
    cooldownPeriodSeconds: z.int().min(0).optional(),
    pollingIntervalSeconds: z.int().min(1).optional(),
    fallback: z.strictObject({ failureThreshold: z.int().min(1), replicas: z.int().min(0) }).optional(),
    behavior: z.strictObject({ scaleUp: scalingRules.optional(), scaleDown: scalingRules.optional() }).optional(),
  }).optional(),
  probes: z.strictObject({
    path: httpPath.optional(),
    readinessPath: httpPath.optional(),
    livenessPath: httpPath.optional(),
    startupTimeoutSeconds: z.int().min(10).max(86400).optional(),
  }).optional(),
  preStopSleepSeconds: seconds.optional(),
  terminationGracePeriodSeconds: seconds.optional(),
  labels: z.record(labelKey, labelValue).optional(),
  serviceAccountName: z.string().refine(isDns1123Subdomain, { error: (iss) => `'${String(iss.input)}' is not a valid ServiceAccount name` }).optional(),
  serviceAccount: z.strictObject({
    annotations: z.record(labelKey, z.string()).optional(),
    automountToken: z.boolean().optional(),
  }).optional(),
  disruptionBudget: z.union([
    z.literal(false),
    z.strictObject({ maxUnavailable: budgetValue.optional(), minAvailable: budgetValue.optional() }),
  ], { error: (iss) => iss.code === 'invalid_union' ? 'must be false or a mapping such as { maxUnavailable: 1 }' : undefined }).optional(),
  topologySpread: z.union([
    z.literal(false),
    z.strictObject({
      whenUnsatisfiable: z.enum(['ScheduleAnyway', 'DoNotSchedule']).optional(),
      maxSkew: z.int().min(1).optional(),
      topologyKeys: z.array(labelKey).min(1).optional(),
    }),
  ], { error: (iss) => iss.code === 'invalid_union' ? 'must be false or a mapping such as { whenUnsatisfiable: DoNotSchedule }' : undefined }).optional(),
  networkPolicy: z.union([
    z.literal(false),
    z.strictObject({
      ingressFrom: z.array(networkPeer).min(1).optional(),
      monitoringNamespace: namespaceName.optional(),
      egressTo: z.array(egressPeer).min(1).optional(),
    }),
  ], { error: (iss) => iss.code === 'invalid_union' ? 'must be false or a mapping such as { ingressFrom: [{ namespace: gateway }] }' : undefined }).optional(),
  metrics: z.strictObject({
    port,
    path: httpPath.optional(),
    interval: z.string().regex(PROMETHEUS_DURATION, { error: (iss) => `'${String(iss.input)}' is not a Prometheus duration; write e.g. 15s, 1m or 1m30s` }).optional(),
    labels: labelMap.optional(),
  }).optional(),
  gpu: z.strictObject({
    count: z.int().min(1),
    product: z.string().refine((v) => isLabelValue(v), { error: (iss) => `'${String(iss.input)}' is not a valid node label value; copy it from the node's nvidia.com/gpu.product label` }).optional(),
    runtimeClassName: z.string().refine(isDns1123Subdomain, { error: (iss) => `'${String(iss.input)}' is not a valid RuntimeClass name` }).optional(),
    shmSize: quantity.optional(),
  }, { error: (iss) => iss.code === 'invalid_type' ? 'must be a mapping such as { count: 1 }' : undefined }).optional(),
  rollout: z.strictObject({
    maxSurge: intOrPercent.optional(),
    maxUnavailable: intOrPercent.optional(),
  }).optional(),
  model: z.strictObject({
    uri: z.string().superRefine((uri, ctx) => {
      const problem = modelUriProblem(uri);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: uri });
    }),
    mountPath: absolutePath.optional(),
    credentialsSecret: z.string().refine(isDns1123Subdomain, { error: (iss) => `'${String(iss.input)}' is not a valid Secret name` }).optional(),
    downloaderImage: image.optional(),
    sizeLimit: quantity.optional(),
    downloadTimeoutSeconds: z.int().min(1).optional(),
  }).optional(),
  writablePaths: z.array(absolutePath).optional(),
  mode: z.enum(PIPELINE_MODES).optional(),
  job: z.strictObject({
    parallelism: z.int().min(1).optional(),
    completions: z.int().min(1).optional(),
    completionMode: z.enum(['NonIndexed', 'Indexed']).optional(),
    backoffLimit: z.int().min(0).optional(),
    activeDeadlineSeconds: z.int().min(1).optional(),
    ttlSecondsAfterFinished: z.int().min(0).optional(),
    podFailurePolicy: z.strictObject({
      rules: z.array(z.strictObject({
        action: z.enum(['FailJob', 'Ignore', 'Count']),
        onExitCodes: z.strictObject({
          containerName: z.string().optional(),
          operator: z.enum(['In', 'NotIn']),
          values: z.array(z.int()).min(1).max(255),
        }).refine((e) => !(e.operator === 'In' && e.values.includes(0)), { path: ['values'], error: 'exit code 0 means success and cannot be matched with In' }).optional(),
        onPodConditions: z.array(z.strictObject({
          type: z.string().refine(isQualifiedName, { error: (iss) => `'${String(iss.input)}' is not a pod condition type such as DisruptionTarget` }),
          status: z.enum(['True', 'False', 'Unknown']).optional(),
        })).min(1).optional(),
      }).refine((r) => (r.onExitCodes === undefined) !== (r.onPodConditions === undefined), {
        error: "a rule matches either 'onExitCodes' or 'onPodConditions', exactly one of them",
      })).min(1),
    }).optional(),
  }).optional(),
  cron: z.strictObject({
    schedule: z.string().refine(isCronSchedule, { error: (iss) => `'${String(iss.input)}' is not a cron schedule; write five fields (minute hour day-of-month month day-of-week, e.g. '0 2 * * *') or a macro such as @daily, and give the time zone in 'timeZone'` }),
    timeZone: z.string().refine(isTimeZone, { error: (iss) => `'${String(iss.input)}' is not an IANA time zone; write e.g. Europe/Paris or America/New_York` }).optional(),
    concurrencyPolicy: z.enum(['Forbid', 'Allow', 'Replace']).optional(),
    successfulJobsHistoryLimit: z.int().min(0).optional(),
    failedJobsHistoryLimit: z.int().min(0).optional(),
    startingDeadlineSeconds: z.int().min(1).optional(),
    suspend: z.boolean().optional(),
  }).optional(),
  policy: z.strictObject({
    ignore: z.array(z.strictObject({
      rule: z.string().superRefine((id, ctx) => {
        const problem = policyRuleProblem(id);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, input: id });
      }),
      reason: z.string({ error: 'give the reason the rule does not apply; it is shown in every report' }).trim().min(1, { error: 'give the reason the rule does not apply; it is shown in every report' }),
    })).superRefine((entries, ctx) => {
      entries.forEach((entry, i) => {
        if (entries.findIndex((e) => e.rule === entry.rule) < i) {
          ctx.addIssue({ code: 'custom', path: [i, 'rule'], message: `${entry.rule} is already ignored above; give one entry per rule, with one reason`, input: entry.rule });
        }
      });
    }).optional(),
  }).optional(),
  securityContext: z.strictObject({
    runAsUser: z.int().min(1, { error: 'must not be 0: pods run as non-root; pick a non-zero UID such as 65532' }).optional(),
    runAsGroup: z.int().min(0).optional(),
    fsGroup: z.int().min(0).optional(),
  }).optional(),
  simulation: z.strictObject({
    podCapacity: z.number().positive({ error: 'must be above 0: the load units per second one ready pod serves' }).optional(),
    podStartupSeconds: z.int().min(0).optional(),
  }).optional(),
});
