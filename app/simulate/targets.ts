import * as fs from 'node:fs';
import { App } from 'cdk8s';
import { findYamlFiles } from '../config/input-files';
import { type EnvironmentsConfig, readEnvironments } from '../config/environments-file';
import type { SynthConfig } from '../config/synth-config';
import { formatFileIssue, type WorkloadDocument } from '../config/workload-file';
import { buildWorkloadsFromDir } from '../synth/build-workloads';
import { groupByEnvironment, workloadManifests } from '../synth/render-manifests';
import { loadManifestFiles } from '../validate/load-manifests';
import { isRecord } from '../../lib/validation/manifest';
import { formatReport, validateGroups } from '../../lib/validation/validate-manifests';
import type { ResolvedSimulation } from '../../lib/simulation/resolve-simulation';
import type { Autoscaler } from '../../lib/simulation/simulate';

// What npm run simulate runs against: the Deployment and autoscaler synth builds for a
// workload (checked as synth checks them), or those of manifest files written by hand.

/** Bad input that is not a flag's: a workload, environment or manifest; exit code 1. */
export class SimulateInputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'SimulateInputError';
  }
}

/** A Deployment and what scales it. */
export interface SimulationTarget {
  /** For the summary, the chart and file names: the workload (and environment) or the Deployment. */
  readonly label: string;
  readonly name: string;
  readonly autoscaler: Autoscaler;
  readonly deployment: Record<string, unknown>;
  /** The workload file's `simulation` settings, defaults filled in; none for manifests. */
  readonly settings?: ResolvedSimulation;
}

/** Edits a workload document's data before it is built: the --set overrides of a variant. */
export type DocumentEdit = (document: WorkloadDocument) => WorkloadDocument;

/**
 * The workload `name` (in `environment`, when there are environments), built from the
 * workload files as synth builds them, every workload checked as synth checks them.
 */
export function workloadTarget(config: SynthConfig, display: (p: string) => string, name: string, environment: string | undefined, edit?: DocumentEdit): SimulationTarget {
  const environments = environmentsOf(config, display, environment);
  const built = buildWorkloadsFromDir(new App(), config.workloadsDir, display, environments, config.noEnvironments, edit);
  const matches = built.filter((b) => b.config.name === name);
  if (matches.length === 0) {
    const names = [...new Set(built.map((b) => b.config.name))].sort();
    throw new SimulateInputError(`no workload named '${name}' in ${display(config.workloadsDir)}/; there are: ${names.join(', ')}`);
  }
  const inEnvironment = environment === undefined ? matches : matches.filter((b) => b.environment === environment);
  if (inEnvironment.length > 1) {
    throw new SimulateInputError(`'${name}' is built for ${inEnvironment.length} environments (${inEnvironment.map((b) => b.environment).join(', ')}); name one with --environment`);
  }
  const validation = validateGroups(groupByEnvironment(workloadManifests(built)));
  if (validation.violations.length > 0) throw new SimulateInputError(`${formatReport(validation).trimEnd()}\nthe workloads do not pass synth's checks; fix them first`);
  const [target] = inEnvironment;
  const label = target.environment === undefined ? name : `${name} (${target.environment})`;
  const found = autoscaledDeployment(target.objects, name, `workload '${name}'`);
  return { label, name, ...found, settings: target.config.simulation };
}

/** The environments file, when there is one, checked to have `environment`. */
function environmentsOf(config: SynthConfig, display: (p: string) => string, environment: string | undefined): EnvironmentsConfig | undefined {
  if (config.environmentsFile === undefined) {
    if (environment !== undefined) throw new SimulateInputError(`--environment ${environment}: there is no environments file (${config.noEnvironments})`);
    return undefined;
  }
  const environments = readEnvironments(config.environmentsFile, display);
  if (environment !== undefined && !environments.environments.some((e) => e.name === environment)) {
    throw new SimulateInputError(`--environment ${environment}: ${display(config.environmentsFile)} has no such environment; it has ${environments.environments.map((e) => e.name).join(', ')}`);
  }
  return environments;
}

/** The Deployment `target` (or the only autoscaled one) of the manifest file or folder `file`. */
export function manifestTarget(file: string, display: (p: string) => string, target: string | undefined): SimulationTarget {
  let files: string[];
  try {
    files = fs.statSync(file).isDirectory() ? findYamlFiles(file).files : [file];
  } catch {
    throw new SimulateInputError(`${display(file)}: no such file or folder, and no workload of that name`);
  }
  const loaded = loadManifestFiles(files, display);
  if (loaded.issues.length > 0) throw new SimulateInputError(loaded.issues.map(formatFileIssue).join('\n'));
  const found = autoscaledDeployment(loaded.manifests.map((m) => m.object as Record<string, unknown>), target, display(file));
  const name = String((found.deployment.metadata as Record<string, unknown>).name);
  return { label: name, name, ...found };
}

/** The Deployment `target` among `objects` (or the only autoscaled one) and what scales it; `where` names them in errors. */
export function autoscaledDeployment(objects: readonly Record<string, unknown>[], target: string | undefined, where: string): { autoscaler: Autoscaler; deployment: Record<string, unknown> } {
  const nameOf = (o: Record<string, unknown>) => (isRecord(o.metadata) ? String(o.metadata.name) : '');
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  if (deployments.length === 0) throw new SimulateInputError(noAutoscaler(objects, where));
  const scalers = new Map<string, Autoscaler>();
  for (const o of objects) {
    const spec = o.spec as Record<string, unknown> | undefined;
    const ref = isRecord(spec?.scaleTargetRef) ? spec.scaleTargetRef : undefined;
    if (!ref || (ref.kind ?? 'Deployment') !== 'Deployment') continue;
    if (o.kind === 'HorizontalPodAutoscaler' && String(o.apiVersion).startsWith('autoscaling/v2')) scalers.set(String(ref.name), { kind: 'HorizontalPodAutoscaler', spec: spec as never });
    if (o.kind === 'ScaledObject') scalers.set(String(ref.name), { kind: 'ScaledObject', spec: spec as never });
  }
  const candidates = deployments.filter((d) => target === undefined || nameOf(d) === target);
  if (target !== undefined && candidates.length === 0) {
    throw new SimulateInputError(`--target ${target}: ${where} has no Deployment of that name; it has ${deployments.map(nameOf).join(', ') || 'none'}`);
  }
  const scaled = candidates.filter((d) => scalers.has(nameOf(d)) || target !== undefined);
  if (scaled.length === 0) throw new SimulateInputError(noAutoscaler(objects, where));
  if (scaled.length > 1) throw new SimulateInputError(`${where} holds ${scaled.length} autoscaled Deployments (${scaled.map(nameOf).join(', ')}); pick one with --target NAME`);
  const deployment = scaled[0];
  const autoscaler = scalers.get(nameOf(deployment)) ?? fixedScaler(deployment);
  return { autoscaler, deployment };
}

function fixedScaler(deployment: Record<string, unknown>): Autoscaler {
  const replicas = (deployment.spec as Record<string, unknown> | undefined)?.replicas;
  return { kind: 'fixed', replicas: typeof replicas === 'number' ? replicas : 1 };
}

function noAutoscaler(objects: readonly Record<string, unknown>[], where: string): string {
  const batch = objects.find((o) => ['CronJob', 'Job', 'ScaledJob'].includes(String(o.kind)));
  if (batch) return `${where} runs as a ${String(batch.kind)}: its pods run to completion and no HPA or ScaledObject scales them, so there is nothing to simulate`;
  const fixed = objects.find((o) => o.kind === 'Deployment');
  if (fixed) return `${where} has no HorizontalPodAutoscaler (autoscaling/v2) or ScaledObject targeting a Deployment; name a Deployment with --target to simulate its fixed replica count`;
  return `${where} holds no Deployment; simulate needs a Deployment and its HPA or ScaledObject`;
}
