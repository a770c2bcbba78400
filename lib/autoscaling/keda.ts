import type { PropIssue } from '../core/errors';
import { looksLikeSecret } from '../core/secret-names';
import { ignoreAnnotations } from '../core/rule-ids';
import type { AutoscalingOptions, KedaFallback, KedaTrigger, KedaTriggerType } from '../core/workload-props';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { ITriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import type { ResolvedBehavior } from './behavior';
import { behaviorSpec } from './horizontal-pod-autoscaler';
import { DEFAULT_PROMETHEUS_ADDRESS, presetTrigger } from './presets';

/** A trigger as a ScaledObject or ScaledJob writes it, as Kubernetes JSON. */
export type TriggerSpec = NonNullable<IScaledObject['spec']>['triggers'][number];

/** KEDA's own defaults, written out so that the manifest says what will happen. */
export const KEDA_DEFAULT_POLLING_INTERVAL_SECONDS = 30;
export const KEDA_DEFAULT_COOLDOWN_PERIOD_SECONDS = 300;

/** Metadata each scaler needs; without it KEDA rejects the ScaledObject. */
const REQUIRED_METADATA: Readonly<Record<KedaTriggerType, readonly string[]>> = {
  'prometheus': ['serverAddress', 'query', 'threshold'],
  'kafka': ['bootstrapServers', 'consumerGroup', 'topic'],
  'rabbitmq': ['queueName', 'mode', 'value'],
  'aws-sqs-queue': ['queueURL', 'awsRegion'],
  'cpu': ['value'],
  'memory': ['value'],
};

/** Metadata that KEDA reads as a number to compare the metric with. */
const THRESHOLD_KEYS = ['threshold', 'activationThreshold', 'value', 'activationValue', 'lagThreshold', 'activationLagThreshold', 'queueLength', 'activationQueueLength'];

/** Scalers that read the pods' own usage: they cannot wake a workload from zero. */
export const RESOURCE_SCALERS: readonly KedaTriggerType[] = ['cpu', 'memory'];

/** A trigger as written into the ScaledObject. */
export interface ResolvedTrigger {
  readonly type: KedaTriggerType;
  readonly name?: string;
  readonly metricType?: 'AverageValue' | 'Value' | 'Utilization';
  readonly metadata: Readonly<Record<string, string>>;
  /** The TriggerAuthentication it uses, generated or existing. */
  readonly authenticationRef?: string;
}

/** A TriggerAuthentication to generate: Secret keys only, never values. */
export interface ResolvedTriggerAuthentication {
  readonly name: string;
  readonly secret: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/** KEDA autoscaling with every default filled in. */
export interface ResolvedKedaAutoscaling {
  readonly engine: 'keda';
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly triggers: readonly ResolvedTrigger[];
  readonly authentications: readonly ResolvedTriggerAuthentication[];
  readonly pollingIntervalSeconds: number;
  readonly cooldownPeriodSeconds: number;
  readonly fallback?: KedaFallback;
  readonly behavior: ResolvedBehavior;
}

/**
 * The triggers of a KEDA workload named `name`, from `triggers` and the cpu
 * and memory shorthands; problems are added to `issues`.
 */
export function resolveKedaTriggers(name: string, namespace: string | undefined, autoscaling: AutoscalingOptions, minReplicas: number, queueJob: boolean, issues: PropIssue[]): {
  triggers: ResolvedTrigger[];
  authentications: ResolvedTriggerAuthentication[];
} {
  const path = ['autoscaling', 'triggers'];
  const shorthands: KedaTrigger[] = [
    ...(autoscaling.targetCPUUtilizationPercentage === undefined ? [] : [resourceTrigger('cpu', autoscaling.targetCPUUtilizationPercentage)]),
    ...(autoscaling.targetMemoryUtilizationPercentage === undefined ? [] : [resourceTrigger('memory', autoscaling.targetMemoryUtilizationPercentage)]),
  ];
  if (queueJob) {
    // A ScaledJob scales on the queue: KEDA's cpu and memory scalers return nothing for it, and the presets read serving pods.
    for (const key of ['presets', 'targetCPUUtilizationPercentage', 'targetMemoryUtilizationPercentage', 'prometheusAddress'] as const) {
      if (autoscaling[key] !== undefined) issues.push({ path: ['autoscaling', key], message: `a queue-job (KEDA ScaledJob) scales on the queue itself; '${key}' does not apply: remove it` });
    }
  }
  if (autoscaling.presets && namespace === undefined && !queueJob) {
    issues.push({ path: ['autoscaling', 'presets'], message: "KEDA presets query Prometheus for this workload's pods by namespace; set 'namespace'" });
  }
  const presets = (autoscaling.presets ?? []).map((p) => presetTrigger(p, name, namespace ?? '', autoscaling.prometheusAddress ?? DEFAULT_PROMETHEUS_ADDRESS));
  const given = [...presets, ...autoscaling.triggers ?? []];
  const authentications: ResolvedTriggerAuthentication[] = [];
  const triggers = given.map((trigger, i): ResolvedTrigger => {
    // Presets come first; problems are reported at the trigger the author wrote.
    const at = i < presets.length ? ['autoscaling', 'presets', i] : [...path, i - presets.length];
    issues.push(...triggerIssues(trigger, at, queueJob));
    const authName = trigger.authentication ? `${name}-${i - presets.length}` : undefined;
    if (authName) authentications.push({ name: authName, ...trigger.authentication! });
    return {
      type: trigger.type,
      name: trigger.name,
      metricType: trigger.metricType ?? (RESOURCE_SCALERS.includes(trigger.type) ? 'Utilization' : undefined),
      metadata: Object.fromEntries(Object.entries(trigger.metadata).map(([k, v]) => [k, String(v)])),
      authenticationRef: authName ?? trigger.authenticationRef,
    };
  });
  const all = [...shorthands.map((t): ResolvedTrigger => ({ type: t.type, metricType: t.metricType, metadata: { value: String(t.metadata.value) } })), ...triggers];
  issues.push(...triggerSetIssues(all, autoscaling, minReplicas, queueJob, presets.length));
  return { triggers: all, authentications };
}

/** What is wrong with one trigger, written at `at`: missing metadata, a credential in it, a metric type its scaler does not take. */
function triggerIssues(trigger: KedaTrigger, at: readonly (string | number)[], queueJob: boolean): PropIssue[] {
  const issues: PropIssue[] = [];
  for (const key of REQUIRED_METADATA[trigger.type]) {
    if (trigger.metadata[key] === undefined) {
      issues.push({ path: [...at, 'metadata', key], message: `the ${trigger.type} scaler needs metadata.${key}; see https://keda.sh/docs/latest/scalers/` });
    }
  }
  for (const [key, value] of Object.entries(trigger.metadata)) {
    if (looksLikeSecret(key) || (typeof value === 'string' && /:\/\/[^/@\s]+:[^/@\s]+@/.test(value))) {
      issues.push({ path: [...at, 'metadata', key], message: `'${key}' holds a credential, which would be committed to Git; put it in a Secret and read it with 'authentication: { secret, parameters: { ${key}: <key> } }'` });
    }
  }
  if (trigger.authentication && trigger.authenticationRef) {
    issues.push({ path: [...at, 'authenticationRef'], message: "give either 'authentication' (a TriggerAuthentication is generated) or 'authenticationRef' (an existing one), not both" });
  }
  if (trigger.metricType === 'Utilization' && !RESOURCE_SCALERS.includes(trigger.type)) {
    issues.push({ path: [...at, 'metricType'], message: `Utilization is for cpu and memory triggers; a ${trigger.type} trigger takes AverageValue or Value` });
  }
  if (trigger.metricType === 'Value' && RESOURCE_SCALERS.includes(trigger.type)) {
    issues.push({ path: [...at, 'metricType'], message: `KEDA's ${trigger.type} scaler takes Utilization or AverageValue, not Value` });
  }
  if (queueJob && RESOURCE_SCALERS.includes(trigger.type)) {
    issues.push({ path: [...at, 'type'], message: `KEDA's ${trigger.type} scaler gives no metric to a ScaledJob; scale a queue-job on its queue (prometheus, kafka, rabbitmq, aws-sqs-queue)` });
  }
  if (trigger.authentication && Object.keys(trigger.authentication.parameters).length === 0) {
    issues.push({ path: [...at, 'authentication', 'parameters'], message: 'name at least one scaler parameter and the Secret key it reads, e.g. { host: uri }' });
  }
  for (const key of THRESHOLD_KEYS.filter((k) => trigger.metadata[k] !== undefined)) {
    const value = String(trigger.metadata[key]);
    if (!/^\d+(\.\d+)?$/.test(value)) issues.push({ path: [...at, 'metadata', key], message: `'${value}' is not a number; KEDA compares ${key} with the metric` });
  }
  return issues;
}

/** What is wrong with the triggers together: none at all, zero replicas they cannot wake from, names used twice, a fallback KEDA refuses. */
function triggerSetIssues(all: readonly ResolvedTrigger[], autoscaling: AutoscalingOptions, minReplicas: number, queueJob: boolean, presetCount: number): PropIssue[] {
  const issues: PropIssue[] = [];
  if (all.length === 0 && queueJob) {
    issues.push({ path: ['autoscaling', 'triggers'], message: 'a queue-job starts Jobs from a queue and needs a trigger that reads it, e.g. { type: rabbitmq, metadata: { queueName, mode: QueueLength, value } }' });
  } else if (all.length === 0 && minReplicas === 0) {
    issues.push({
      path: ['autoscaling', 'minReplicas'],
      message: "'minReplicas' is 0: scaling to zero needs KEDA (a HorizontalPodAutoscaler cannot), and KEDA needs a trigger that says when there is work; add one under 'autoscaling.triggers' (e.g. a prometheus query of the queue length), or set minReplicas to 1 or more to scale with the HPA",
    });
  } else if (all.length === 0) {
    issues.push({
      path: ['autoscaling', 'engine'],
      message: "'engine' is keda, but KEDA scales on triggers and none is given; add one under 'autoscaling.triggers', or remove 'engine' to scale with the HPA",
    });
  } else if (minReplicas === 0 && all.some((t) => RESOURCE_SCALERS.includes(t.type))) {
    issues.push({
      path: ['autoscaling', 'minReplicas'],
      message: 'KEDA never scales a workload with a cpu or memory trigger to zero (they read running pods); remove those triggers and the cpu and memory shorthands, or set minReplicas to 1 or more',
    });
  } else if (minReplicas === 0 && presetCount > 0) {
    issues.push({
      path: ['autoscaling', 'minReplicas'],
      message: "presets read the workload's own pods, so at zero replicas they see nothing and never wake it; scale to zero on the work itself (a queue or topic trigger), or set minReplicas to 1 or more",
    });
  }
  const names = all.map((t) => t.name).filter((n): n is string => n !== undefined);
  names.forEach((n, i) => {
    if (names.indexOf(n) < i) issues.push({ path: ['autoscaling', 'triggers'], message: `two triggers are named '${n}' (a preset is named after itself); KEDA needs unique names` });
  });
  if (autoscaling.fallback && all.some((t) => RESOURCE_SCALERS.includes(t.type) || (t.metricType ?? 'AverageValue') !== 'AverageValue')) {
    issues.push({
      path: ['autoscaling', 'fallback'],
      message: 'KEDA accepts a fallback only when every trigger is an AverageValue trigger other than cpu and memory (the gpu-utilization and triton-queue-time presets are Value); remove fallback or those triggers',
    });
  }
  return issues;
}

function resourceTrigger(type: 'cpu' | 'memory', percent: number): KedaTrigger {
  return { type, metricType: 'Utilization', metadata: { value: percent } };
}

/** The ScaledObject spec that scales the Deployment `deploymentName`. */
export function scaledObjectSpec(deploymentName: string, keda: ResolvedKedaAutoscaling): NonNullable<IScaledObject['spec']> {
  return {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName },
    ...kedaScaling(keda),
    cooldownPeriod: keda.cooldownPeriodSeconds,
    fallback: keda.fallback && { ...keda.fallback },
    // KEDA runs an HPA underneath; its behaviour is written out as for a plain HPA.
    advanced: { horizontalPodAutoscalerConfig: { behavior: behaviorSpec(keda.behavior) } },
  };
}

/** What a ScaledObject and a ScaledJob both write: the replica range, the polling interval and the triggers. */
export function kedaScaling(keda: ResolvedKedaAutoscaling): { minReplicaCount: number; maxReplicaCount: number; pollingInterval: number; triggers: TriggerSpec[] } {
  return { minReplicaCount: keda.minReplicas, maxReplicaCount: keda.maxReplicas, pollingInterval: keda.pollingIntervalSeconds, triggers: triggerSpecs(keda) };
}

/** The triggers as a ScaledObject or ScaledJob writes them. */
export function triggerSpecs(keda: ResolvedKedaAutoscaling): TriggerSpec[] {
  return keda.triggers.map((t) => ({
    type: t.type,
    name: t.name,
    metricType: t.metricType,
    metadata: { ...t.metadata },
    authenticationRef: t.authenticationRef === undefined ? undefined : { name: t.authenticationRef },
  }));
}

/** A TriggerAuthentication that reads each parameter from a key of an existing Secret. */
export function triggerAuthenticationSpec(auth: ResolvedTriggerAuthentication): NonNullable<ITriggerAuthentication['spec']> {
  return {
    secretTargetRef: Object.entries(auth.parameters).map(([parameter, key]) => ({ parameter, name: auth.secret, key })),
  };
}

/** `prometheus`, `kafka`: the triggers as the synth summary shows them. */
export function describeTriggers(keda: ResolvedKedaAutoscaling): string {
  return `keda: ${keda.triggers.map((t) => t.metricType === 'Utilization' ? `${t.type} ${t.metadata.value}%` : t.name ?? t.type).join(', ')}`;
}

/**
 * The suppression a ScaledObject or ScaledJob carries when a trigger names an existing
 * TriggerAuthentication (`authenticationRef`): the workload file says it is managed
 * elsewhere, so TRIGGER-AUTH-EXISTS, which a run without it would report, does not apply.
 */
export function existingAuthenticationAnnotations(keda: ResolvedKedaAutoscaling): Record<string, string> {
  const generated = new Set(keda.authentications.map((a) => a.name));
  const existing = keda.triggers.map((t) => t.authenticationRef).filter((name): name is string => name !== undefined && !generated.has(name));
  if (existing.length === 0) return {};
  return ignoreAnnotations([{ rule: 'TRIGGER-AUTH-EXISTS', reason: `autoscaling.triggers[].authenticationRef names an existing TriggerAuthentication (${[...new Set(existing)].join(', ')}), managed outside this workload` }]);
}
