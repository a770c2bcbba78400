import { type PropIssue, WorkloadPropsError } from '../core/errors';
import { issueMessage, toPropIssues } from '../core/issues';
import type { WorkloadProfile } from '../core/profile';
import { workloadPropsSchema } from '../core/schema';
import { StepRunner } from '../core/steps';
import type { WorkloadProps } from '../core/workload-props';
import { autoscalingStep, fixedReplicas, podCountStep, type ResolvedAutoscaling } from '../autoscaling/resolve-autoscaling';
import { disruptionBudgetStep, networkPolicyStep, type ResolvedHardening, serviceAccountStep, topologySpreadStep } from '../hardening/resolve-hardening';
import { metricsScrapingStep, type ResolvedMetrics } from '../monitoring/resolve-monitoring';
import { cronStep, jobStep, modeKeysStep, modeStep, type ResolvedCron, type ResolvedJob } from '../pipeline/resolve-batch';
import { gpuStep } from '../pod/gpu';
import { reservedLabelsStep, selectorLabels, workloadLabels } from '../pod/labels';
import { modelStep } from '../pod/model';
import { type PodTemplateInputs } from '../pod/pod-template';
import { probesStep } from '../pod/probes';
import { podSecurityStep, shutdownStep, writablePathsStep } from '../pod/resolve-pod';
import { resourcesStep } from '../pod/resources';
import { type ResolvedSimulation, simulationStep } from '../simulation/resolve-simulation';
import { ignoreAnnotations } from '../core/rule-ids';
import { portStep, progressDeadline, type ResolvedRollout, type ResolvedService, rolloutStep, serviceStep } from './resolve-deployment';

// A workload's props checked and every default resolved by the folders that own them
// (lib/autoscaling, lib/hardening, lib/monitoring, lib/pipeline, lib/pod, and
// resolve-deployment.ts for the Deployment and Service that Workload renders itself);
// this file checks the shape, calls them in turn and puts the result together.

/**
 * A workload's props with every default resolved once; what the objects are built from.
 * The pod template's inputs (lib/pod) and the hardening (lib/hardening) are stated there;
 * this adds what the Workload construct and the other objects read.
 */
export interface ResolvedWorkload extends PodTemplateInputs, ResolvedHardening {
  readonly profile: WorkloadProfile;
  readonly serviceAccount: ResolvedHardening['serviceAccount'];
  readonly topologySpread?: ResolvedHardening['topologySpread'];
  readonly name: string;
  readonly namespace?: string;
  readonly service?: ResolvedService;
  /** Fixed replica count; undefined when autoscaled. */
  readonly replicas?: number;
  readonly autoscaling?: ResolvedAutoscaling;
  readonly progressDeadlineSeconds: number;
  /** Annotations of every object: the policy exceptions. */
  readonly annotations: Readonly<Record<string, string>>;
  /** Rolling update settings. */
  readonly rollout: ResolvedRollout;
  /** Job settings, for modes job, cronjob and queue-job. */
  readonly job?: ResolvedJob;
  /** Schedule, for mode cronjob. */
  readonly cron?: ResolvedCron;
  /** Metrics scraping, when the workload declares metrics. */
  readonly metrics?: ResolvedMetrics;
  /** How npm run simulate models a pod; nothing of it is rendered. */
  readonly simulation: ResolvedSimulation;
}

/**
 * Checks `props` (shape first, then the rules that relate fields) and resolves
 * every default. Throws a WorkloadPropsError listing every problem.
 */
export function resolveWorkload(props: WorkloadProps, profile: WorkloadProfile): ResolvedWorkload {
  const parsed = workloadPropsSchema.safeParse(props, { reportInput: true, error: issueMessage });
  const issues: PropIssue[] = [];
  if (!parsed.success) {
    issues.push(...toPropIssues(parsed.error.issues, workloadPropsSchema));
    // So that one run reports everything, the rules that relate fields still run, each
    // only where none of the fields it reads failed the shape check (see StepRunner).
    if (typeof props === 'object' && props !== null && !Array.isArray(props)) {
      resolveChecked(props, profile, issues, new Set(issues.map((i) => String(i.path[0]))));
    }
    throw new WorkloadPropsError(String(props?.name), issues);
  }
  const resolved = resolveChecked(props, profile, issues);
  if (issues.length > 0) throw new WorkloadPropsError(props.name, issues);
  return resolved;
}

// The steps are run in the order their problems are reported; each one's inputs are what
// earlier steps resolved. With failed fields, nothing is built from them.
function resolveChecked(props: WorkloadProps, profile: WorkloadProfile, issues: PropIssue[], failed?: ReadonlySet<string>): ResolvedWorkload {
  const steps = new StepRunner(props, { profile, issues }, failed);
  const mode = steps.run(modeStep);
  steps.run(modeKeysStep, mode);
  const port = steps.run(portStep, mode);
  const probes = steps.run(probesStep, port);
  const service = steps.run(serviceStep, port);
  const shutdown = steps.run(shutdownStep, service);
  steps.run(reservedLabelsStep);
  const gpu = steps.run(gpuStep);
  const resources = steps.run(resourcesStep, gpu);
  const rollout = steps.run(rolloutStep, mode, gpu);
  const model = steps.run(modelStep);
  const writablePaths = steps.run(writablePathsStep, model, gpu);
  const autoscaling = steps.run(autoscalingStep, mode);
  const serviceAccount = steps.run(serviceAccountStep);
  const disruptionBudget = steps.run(disruptionBudgetStep, mode, steps.run(podCountStep, autoscaling));
  const topologySpread = steps.run(topologySpreadStep, mode);
  const networkPolicy = steps.run(networkPolicyStep, service);
  const metrics = steps.run(metricsScrapingStep, port, service);
  if (failed) return undefined as never;
  return built(props, profile, {
    mode: mode.value,
    ...port.value,
    probes: probes.value,
    service: service.value,
    ...shutdown.value,
    gpu: gpu.value,
    ...resources.value,
    rollout: rollout.value,
    model: model.value,
    writablePaths: writablePaths.value,
    autoscaling: autoscaling.value,
    serviceAccount: serviceAccount.value,
    disruptionBudget: disruptionBudget.value,
    topologySpread: topologySpread.value,
    networkPolicy: networkPolicy.value,
    metrics: metrics.value,
    ...steps.run(podSecurityStep).value,
    job: steps.run(jobStep, mode).value,
    cron: steps.run(cronStep, mode).value,
    simulation: steps.run(simulationStep).value,
  });
}

/** What the steps resolved. */
type StepResults = Omit<ResolvedWorkload, 'profile' | 'name' | 'namespace' | 'image' | 'command' | 'args' | 'env' | 'replicas' | 'progressDeadlineSeconds' | 'labels' | 'annotations' | 'selectorLabels'>;

// Every field written out (no spread of `r`): V8 then builds the object from one fixed shape.
// `satisfies` below makes leaving out a field, optional ones included, a compile error.
function built(props: WorkloadProps, profile: WorkloadProfile, r: StepResults): ResolvedWorkload {
  return {
    serviceAccount: r.serviceAccount,
    disruptionBudget: r.disruptionBudget,
    topologySpread: r.topologySpread,
    networkPolicy: r.networkPolicy,
    metrics: r.metrics,
    profile,
    name: props.name,
    namespace: props.namespace,
    image: props.image,
    command: props.command,
    args: props.args,
    env: props.env ?? {},
    port: r.port,
    protocol: r.protocol,
    service: r.service,
    replicas: fixedReplicas(props),
    autoscaling: r.autoscaling,
    requests: r.requests,
    limits: r.limits,
    probes: r.probes,
    preStopSleepSeconds: r.preStopSleepSeconds,
    terminationGracePeriodSeconds: r.terminationGracePeriodSeconds,
    progressDeadlineSeconds: progressDeadline(r.probes, r.model),
    labels: workloadLabels(props.name, profile.component, props.image, props.labels),
    annotations: ignoreAnnotations(props.policy?.ignore),
    selectorLabels: selectorLabels(props.name),
    runAsUser: r.runAsUser,
    runAsGroup: r.runAsGroup,
    fsGroup: r.fsGroup,
    gpu: r.gpu,
    rollout: r.rollout,
    model: r.model,
    writablePaths: r.writablePaths,
    mode: r.mode,
    job: r.job,
    cron: r.cron,
    simulation: r.simulation,
  } satisfies { readonly [K in keyof ResolvedWorkload]-?: unknown };
}
