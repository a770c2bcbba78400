import type { ResolvedGpu } from '../pod/gpu';
import type { ResolvedModel } from '../pod/model';
import type { ResolvedProbes } from '../pod/probes';
import { isBatchMode, modeTakes } from '../core/modes';
import { step } from '../core/steps';
import type { PipelineMode, PortProtocol, ServiceType } from '../core/workload-props';

// What the Workload construct renders itself, the Deployment and the Service: read,
// defaulted and checked here.

/** The Service in front of a workload with a port. */
export interface ResolvedService {
  readonly port: number;
  readonly type: ServiceType;
  readonly nodePort?: number;
}

/** Rolling update settings of the Deployment. */
export interface ResolvedRollout {
  readonly maxSurge: number | string;
  readonly maxUnavailable: number | string;
}

/** Kubernetes' own progress deadline; a rollout also gets the startup budget on top of image pulls. */
const PROGRESS_DEADLINE_FLOOR_SECONDS = 600;
const IMAGE_PULL_ALLOWANCE_SECONDS = 300;

/** The container port and its protocol: the props', else the kind's default; a worker without a port can have no Service or probes. */
export const portStep = step(['port', 'protocol', 'service', 'probes'], (props, { profile, issues }, mode: PipelineMode): { readonly port?: number; readonly protocol: PortProtocol } => {
  const port = props.port ?? profile.defaultPort;
  if (port === undefined && !isBatchMode(mode)) {
    for (const key of ['service', 'probes'] as const) {
      if (props[key] !== undefined) issues.push({ path: [key], message: `'${key}' needs a container port; set 'port' or remove '${key}'` });
    }
  }
  return { port, protocol: props.protocol ?? 'http' };
});

/** The Service of a workload listening on `port`; none without a port. */
export const serviceStep = step(['service'], (props, { issues }, { port }: { readonly port?: number }): ResolvedService | undefined => {
  if (port === undefined) return undefined;
  const type = props.service?.type ?? 'ClusterIP';
  const nodePort = props.service?.nodePort;
  if (nodePort !== undefined && type === 'ClusterIP') {
    issues.push({ path: ['service', 'nodePort'], message: "'nodePort' needs 'service.type' NodePort or LoadBalancer; a ClusterIP Service has no node port" });
  }
  return { port: props.service?.port ?? port, type, nodePort };
});

// A GPU rollout cannot count on a spare GPU for a surge pod: replace one pod at a time instead.
// A batch workload has no rollout: its settings are reported by the mode, and not checked here.
export const rolloutStep = step(['rollout'], (props, { profile, issues }, mode: PipelineMode, gpu: ResolvedGpu | undefined): ResolvedRollout => {
  const maxSurge = props.rollout?.maxSurge ?? (gpu ? 0 : '25%');
  const maxUnavailable = props.rollout?.maxUnavailable ?? (gpu ? 1 : profile.maxUnavailable);
  const isZero = (v: number | string) => v === 0 || v === '0%';
  if (modeTakes(mode, 'rollout') && isZero(maxSurge) && isZero(maxUnavailable)) {
    issues.push({
      path: ['rollout', props.rollout?.maxUnavailable === undefined ? 'maxSurge' : 'maxUnavailable'],
      message: `maxSurge (${maxSurge}) and maxUnavailable (${maxUnavailable}) are both 0, so a rollout could never replace a pod; let one of them be above 0`,
    });
  }
  return { maxSurge, maxUnavailable };
});

/** The rollout's progress deadline: the startup budget, image pulls and the model download, never below Kubernetes' own. */
export function progressDeadline(probes: ResolvedProbes | undefined, model: ResolvedModel | undefined): number {
  return Math.max(
    PROGRESS_DEADLINE_FLOOR_SECONDS,
    (probes?.startupTimeoutSeconds ?? 0) + IMAGE_PULL_ALLOWANCE_SECONDS + (model?.downloaderImage ? model.downloadTimeoutSeconds : 0),
  );
}
