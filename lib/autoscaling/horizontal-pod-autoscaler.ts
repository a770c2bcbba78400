import type { IHPAScalingRules } from 'kubernetes-models/autoscaling/v2/HPAScalingRules';
import type { IHorizontalPodAutoscalerSpec } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscalerSpec';
import type { IMetricIdentifier } from 'kubernetes-models/autoscaling/v2/MetricIdentifier';
import type { IMetricSpec } from 'kubernetes-models/autoscaling/v2/MetricSpec';
import type { IMetricTarget } from 'kubernetes-models/autoscaling/v2/MetricTarget';
import { quantityString } from '../core/quantity';
import type { ResolvedBehavior } from './behavior';
import type { MetricSpec, MetricTarget } from '../core/workload-props';

/** HPA autoscaling with every default filled in. */
export interface ResolvedHpaAutoscaling {
  readonly engine: 'hpa';
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** The HPA metrics in the order written: the cpu and memory shorthands first, then `metrics`. */
  readonly metrics: readonly MetricSpec[];
  readonly behavior: ResolvedBehavior;
}

/** The `autoscaling/v2` HPA spec that scales the Deployment `deploymentName`. */
export function horizontalPodAutoscalerSpec(deploymentName: string, autoscaling: ResolvedHpaAutoscaling): IHorizontalPodAutoscalerSpec {
  return {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName },
    minReplicas: autoscaling.minReplicas,
    maxReplicas: autoscaling.maxReplicas,
    metrics: autoscaling.metrics.map(metricSpec),
    behavior: behaviorSpec(autoscaling.behavior),
  };
}

/** An HPA's scaling rules, as an HPA and a KEDA ScaledObject both take them. */
type ScalingRules = Omit<IHPAScalingRules, 'tolerance'>;

/** HPA `behavior` with every field written out. */
export function behaviorSpec(behavior: ResolvedBehavior): { scaleUp: ScalingRules; scaleDown: ScalingRules } {
  return {
    scaleUp: { ...behavior.scaleUp, policies: behavior.scaleUp.policies.map((p) => ({ ...p })) },
    scaleDown: { ...behavior.scaleDown, policies: behavior.scaleDown.policies.map((p) => ({ ...p })) },
  };
}

function target(t: MetricTarget): IMetricTarget {
  const quantity = (q: MetricTarget['value']) => q === undefined ? undefined : quantityString(q);
  return { type: t.type, averageUtilization: t.averageUtilization, averageValue: quantity(t.averageValue), value: quantity(t.value) };
}

function identifier(metric: { readonly name: string; readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> } }): IMetricIdentifier {
  return { name: metric.name, selector: metric.selector && { matchLabels: metric.selector.matchLabels && { ...metric.selector.matchLabels } } };
}

function metricSpec(metric: MetricSpec): IMetricSpec {
  switch (metric.type) {
    case 'Resource':
      return { type: 'Resource', resource: { name: metric.resource.name, target: target(metric.resource.target) } };
    case 'ContainerResource': {
      const { name, container } = metric.containerResource;
      return { type: 'ContainerResource', containerResource: { name, container, target: target(metric.containerResource.target) } };
    }
    case 'Pods':
      return { type: 'Pods', pods: { metric: identifier(metric.pods.metric), target: target(metric.pods.target) } };
    case 'Object':
      return { type: 'Object', object: { describedObject: { ...metric.object.describedObject }, metric: identifier(metric.object.metric), target: target(metric.object.target) } };
    case 'External':
      return { type: 'External', external: { metric: identifier(metric.external.metric), target: target(metric.external.target) } };
  }
}

/** `cpu 50%`, `pods vllm:num_requests_waiting 5`: a metric as the synth summary shows it. */
export function describeMetric(metric: MetricSpec): string {
  const value = (t: MetricTarget) => t.type === 'Utilization' ? `${t.averageUtilization}%` : quantityString((t.averageValue ?? t.value)!);
  switch (metric.type) {
    case 'Resource': return `${metric.resource.name} ${value(metric.resource.target)}`;
    case 'ContainerResource': return `${metric.containerResource.name} ${value(metric.containerResource.target)}`;
    case 'Pods': return `${metric.pods.metric.name} ${value(metric.pods.target)}`;
    case 'Object': return `${metric.object.metric.name} ${value(metric.object.target)}`;
    case 'External': return `${metric.external.metric.name} ${value(metric.external.target)}`;
  }
}
