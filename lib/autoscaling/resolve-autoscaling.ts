import type { PropIssue } from '../core/errors';
import { modeTakes } from '../core/modes';
import type { WorkloadProfile } from '../core/profile';
import { step } from '../core/steps';
import type { AutoscalingOptions, MetricSpec, PipelineMode, WorkloadProps } from '../core/workload-props';
import { resolveBehavior } from './behavior';
import type { ResolvedHpaAutoscaling } from './horizontal-pod-autoscaler';
import { KEDA_DEFAULT_COOLDOWN_PERIOD_SECONDS, KEDA_DEFAULT_POLLING_INTERVAL_SECONDS, type ResolvedKedaAutoscaling, resolveKedaTriggers } from './keda';
import { presetMetric } from './presets';
import { HPA_MIN_REPLICAS, replicaRangeProblem } from '../core/replica-range';

// A workload's autoscaling: read, defaulted, checked here, rendered by horizontal-pod-autoscaler.ts and keda.ts.

/** Autoscaling with every default filled in: an HPA or a KEDA ScaledObject, never both. */
export type ResolvedAutoscaling = ResolvedHpaAutoscaling | ResolvedKedaAutoscaling;

export const DEFAULT_MIN_REPLICAS = 1;
export const DEFAULT_MAX_REPLICAS = 3;
export const DEFAULT_TARGET_CPU_UTILIZATION = 80;

/** The autoscaling, or undefined with a fixed `replicas` or in a mode that is not scaled (reported by the mode). */
export const autoscalingStep = step(['autoscaling', 'replicas', 'name', 'namespace'], (props, { profile, issues }, mode: PipelineMode): ResolvedAutoscaling | undefined => {
  if (!modeTakes(mode, 'autoscaling')) return undefined;
  const autoscaling = mode === 'queue-job' ? { engine: 'keda' as const, ...props.autoscaling } : props.autoscaling;
  if (mode === 'queue-job' && props.autoscaling?.engine === 'hpa') {
    issues.push({ path: ['autoscaling', 'engine'], message: 'a queue-job is a KEDA ScaledJob; remove engine: hpa' });
  }
  if (props.replicas !== undefined) {
    if (mode === 'queue-job') {
      issues.push({ path: ['replicas'], message: "a queue-job starts Jobs for queued work and has no fixed replica count; set 'autoscaling.maxReplicas' to cap the Jobs at once" });
    } else if (autoscaling !== undefined) {
      issues.push({
        path: ['replicas'],
        message: `'replicas' (${props.replicas}) cannot be set together with 'autoscaling': the HPA owns the replica count, and a committed spec.replicas makes the HPA and Argo CD fight over it; remove 'replicas' and set 'autoscaling.minReplicas' instead`,
      });
    }
    return undefined;
  }
  const options = autoscaling ?? {};
  // A ScaledJob starts Jobs for queued work only: none while the queue is empty.
  const minReplicas = options.minReplicas ?? (mode === 'queue-job' ? 0 : DEFAULT_MIN_REPLICAS);
  if (mode === 'queue-job') {
    for (const key of ['cooldownPeriodSeconds', 'fallback', 'behavior', 'metrics'] as const) {
      if (options[key] !== undefined) issues.push({ path: ['autoscaling', key], message: `a queue-job (KEDA ScaledJob) starts a Job per unit of work and has no '${key}'; remove it` });
    }
  }
  const maxReplicas = options.maxReplicas ?? DEFAULT_MAX_REPLICAS;
  const engine = options.engine ?? (minReplicas === 0 || options.triggers !== undefined ? 'keda' : 'hpa');
  issues.push(...engineIssues(engine, options, minReplicas), ...replicaRangeIssues(autoscaling, minReplicas, maxReplicas));
  const behavior = resolveBehavior(options.behavior);
  if (engine === 'keda') {
    return {
      engine,
      minReplicas,
      maxReplicas,
      ...resolveKedaTriggers(props.name, props.namespace, options, minReplicas, mode === 'queue-job', issues),
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? KEDA_DEFAULT_POLLING_INTERVAL_SECONDS,
      cooldownPeriodSeconds: options.cooldownPeriodSeconds ?? KEDA_DEFAULT_COOLDOWN_PERIOD_SECONDS,
      fallback: options.fallback,
      behavior,
    };
  }
  for (const key of ['cooldownPeriodSeconds', 'pollingIntervalSeconds', 'fallback', 'prometheusAddress'] as const) {
    if (options[key] !== undefined) issues.push({ path: ['autoscaling', key], message: `'${key}' is a KEDA setting, and this workload scales with an HPA; remove it, or add KEDA triggers` });
  }
  return { engine, minReplicas, maxReplicas, metrics: resolveHpaMetrics(options, profile, issues), behavior };
});

/** The fixed replica count of a workload that is not autoscaled. */
export function fixedReplicas(props: WorkloadProps): number | undefined {
  return props.autoscaling === undefined ? props.replicas : undefined;
}

/** The fewest and most pods the workload runs: its replica range when autoscaled, else the fixed count (1 by default). */
export const podCountStep = step(['replicas'], (props, _context, autoscaling: ResolvedAutoscaling | undefined): PodCount => {
  const fewestPods = autoscaling?.minReplicas ?? props.replicas ?? 1;
  return { fewestPods, mostPods: autoscaling?.maxReplicas ?? fewestPods };
});

/** The fewest and most pods a workload runs. */
export interface PodCount {
  readonly fewestPods: number;
  readonly mostPods: number;
}

function utilization(name: 'cpu' | 'memory', averageUtilization: number): MetricSpec {
  return { type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } };
}

function resolveHpaMetrics(autoscaling: AutoscalingOptions, profile: WorkloadProfile, issues: PropIssue[]): MetricSpec[] {
  const given = autoscaling.metrics ?? [];
  given.forEach((metric, i) => {
    if (metric.type === 'ContainerResource' && metric.containerResource.container !== profile.containerName) {
      issues.push({
        path: ['autoscaling', 'metrics', i, 'containerResource', 'container'],
        message: `a ${profile.kind} has no container '${metric.containerResource.container}'; its container is '${profile.containerName}'`,
      });
    }
  });
  const presets = (autoscaling.presets ?? []).map(presetMetric);
  const cpu = autoscaling.targetCPUUtilizationPercentage
    ?? (autoscaling.targetMemoryUtilizationPercentage === undefined && given.length === 0 && presets.length === 0 ? DEFAULT_TARGET_CPU_UTILIZATION : undefined);
  return inControllerOrder([
    ...(cpu === undefined ? [] : [utilization('cpu', cpu)]),
    ...(autoscaling.targetMemoryUtilizationPercentage === undefined ? [] : [utilization('memory', autoscaling.targetMemoryUtilizationPercentage)]),
    ...presets,
    ...given,
  ]);
}

/**
 * The metrics in the order the API server hands them back. Where HPAs are
 * stored as autoscaling/v1, the first cpu Utilization metric becomes
 * targetCPUUtilizationPercentage and comes back last (kubernetes/kubernetes#74099);
 * writing it last already means Argo CD sees no difference.
 */
function inControllerOrder(metrics: MetricSpec[]): MetricSpec[] {
  const cpu = metrics.findIndex((m) => m.type === 'Resource' && m.resource.name === 'cpu' && m.resource.target.type === 'Utilization');
  return cpu < 0 ? metrics : [...metrics.slice(0, cpu), ...metrics.slice(cpu + 1), metrics[cpu]];
}

/** What an engine cannot do with the options given: triggers on an HPA, zero replicas without KEDA, HPA metrics on KEDA. */
function engineIssues(engine: 'hpa' | 'keda', options: AutoscalingOptions, minReplicas: number): PropIssue[] {
  const issues: PropIssue[] = [];
  if (engine === 'hpa' && options.triggers !== undefined) {
    issues.push({
      path: ['autoscaling', 'engine'],
      message: "'engine' is hpa, but KEDA triggers are given: one workload gets one autoscaler (an HPA and a ScaledObject would fight over its replicas); remove 'engine' to use KEDA, or remove 'triggers'",
    });
  } else if (engine === 'hpa' && minReplicas < HPA_MIN_REPLICAS) {
    issues.push({
      path: ['autoscaling', 'minReplicas'],
      message: "'minReplicas' is 0, but a HorizontalPodAutoscaler cannot scale to zero (that needs the alpha HPAScaleToZero feature gate); add a KEDA trigger under 'autoscaling.triggers' to scale to zero, or set minReplicas to 1 or more",
    });
  } else if (engine === 'keda' && options.metrics !== undefined) {
    issues.push({
      path: ['autoscaling', 'metrics'],
      message: "'metrics' are HorizontalPodAutoscaler metrics, and this workload scales with KEDA; describe them as KEDA triggers (e.g. a prometheus query) or set 'engine: hpa' without triggers",
    });
  }
  return issues;
}

/** The replica range: maxReplicas at least minReplicas, reported at the one the author wrote (the schema holds maxReplicas to 1 or more). */
function replicaRangeIssues(autoscaling: AutoscalingOptions | undefined, minReplicas: number, maxReplicas: number): PropIssue[] {
  const issues: PropIssue[] = [];
  if (replicaRangeProblem(minReplicas, maxReplicas) === 'max-below-min') {
    const maxGiven = autoscaling?.maxReplicas !== undefined;
    issues.push({
      path: ['autoscaling', maxGiven ? 'maxReplicas' : 'minReplicas'],
      message: `'maxReplicas' (${maxReplicas}${maxGiven ? '' : ', the default'}) must be >= 'minReplicas' (${minReplicas}); raise maxReplicas or lower minReplicas`,
    });
  }
  return issues;
}
