import { presetSignal, type PresetSignal } from '../autoscaling/presets';
import type { HpaMetric, ScaledObjectTrigger } from './types';

// Which signal of the load model each metric of an autoscaler reads. A metric the model
// does not know reads a trace of its own (--metric NAME=FILE), or is an error naming it.

/**
 * A signal of the load model: the ready pods' cpu `utilization` (percent of the request),
 * the work waiting (`queue`), the messages a broker holds (`messages`: waiting and in
 * service, as a queue's length or a consumer lag counts them), the work arriving and
 * served per second, the GPUs' busy percent, the time work waits (microseconds), or a
 * `trace` given for the metric.
 */
export type Signal = PresetSignal | 'utilization' | 'arrivals' | 'messages' | { readonly trace: string };

/** A metric the simulator cannot model and that has no trace. */
export class UnmodelledMetricError extends Error {
  public constructor(public readonly metric: string, what: string) {
    super(`${what} is a metric the load model does not have; give its values over time with --metric ${metric}=FILE (a CSV or a Prometheus query_range response)`);
    this.name = 'UnmodelledMetricError';
  }
}

/** A --metric trace for a metric the autoscaler does not read. */
export class UnusedTraceError extends Error {
  public constructor(public readonly metric: string, known: readonly string[]) {
    super(`--metric ${metric}: the autoscaler reads no metric of that name; it reads ${known.join(', ')}`);
    this.name = 'UnusedTraceError';
  }
}

/** The name a metric of an HPA answers to in --metric: the resource (cpu, memory) or the metric's name. */
export function hpaMetricName(metric: HpaMetric): string {
  switch (metric.type) {
    case 'Resource': return metric.resource!.name;
    case 'ContainerResource': return metric.containerResource!.name;
    case 'Pods': return metric.pods!.metric.name;
    case 'Object': return metric.object!.metric.name;
    case 'External': return metric.external!.metric.name;
    default: return String(metric.type);
  }
}

/** The signal each HPA metric reads; throws UnmodelledMetricError for one the model lacks and `traces` does not name. */
export function hpaSignal(metric: HpaMetric, traces: ReadonlySet<string>): Signal {
  const name = hpaMetricName(metric);
  if (traces.has(name)) return { trace: name };
  if ((metric.type === 'Resource' || metric.type === 'ContainerResource') && name === 'cpu') return 'utilization';
  const preset = metric.type === 'Pods' ? presetSignal({ metricName: name }) : undefined;
  if (preset) return preset;
  throw new UnmodelledMetricError(name, `the HPA's ${metric.type} metric '${name}'`);
}

/** The name KEDA gives a trigger's metric on the HPA it creates (s<index>-<type>), which --metric also takes, besides the trigger's own name. */
export function kedaMetricName(trigger: ScaledObjectTrigger, index: number): string {
  return `s${index}-${trigger.type}`;
}

/** The signal a ScaledObject trigger reads; throws UnmodelledMetricError for one the model lacks and `traces` does not name. */
export function triggerSignal(trigger: ScaledObjectTrigger, index: number, traces: ReadonlySet<string>): Signal {
  const names = [trigger.name, kedaMetricName(trigger, index)].filter((n): n is string => n !== undefined);
  const traced = names.find((n) => traces.has(n));
  if (traced) return { trace: traced };
  const metadata = trigger.metadata ?? {};
  switch (trigger.type) {
    case 'cpu': return 'utilization';
    case 'kafka':
    case 'aws-sqs-queue':
    case 'redis':
      return 'messages';
    case 'rabbitmq': return metadata.mode === 'MessageRate' ? 'arrivals' : 'messages';
    case 'prometheus': {
      const preset = presetSignal({ triggerName: trigger.name });
      if (preset) return preset;
      throw new UnmodelledMetricError(names[0], `trigger ${index} (prometheus, query '${metadata.query ?? ''}')`);
    }
    default:
      throw new UnmodelledMetricError(names[0], `trigger ${index} (${trigger.type})`);
  }
}

/** Whether a workload with these signals is fed from a queue: work not served waits, rather than being lost. */
export function isQueueFed(signals: readonly Signal[]): boolean {
  return signals.some((s) => s === 'queue' || s === 'messages' || s === 'queue-time-us');
}
