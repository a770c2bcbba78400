import { step } from '../core/steps';
import type { ResolvedGpu } from './gpu';
import type { ResolvedModel } from './model';

// The pod's shutdown, its writable directories and the ids it runs as: read, defaulted
// and checked here, rendered by the pod template.

/** How the pod shuts down: a pause for the endpoints to drain, then the grace period. */
export interface ResolvedShutdown {
  readonly preStopSleepSeconds?: number;
  readonly terminationGracePeriodSeconds: number;
}

/** The user, group and volume group the pod's containers run as. */
export interface ResolvedPodSecurity {
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly fsGroup: number;
}

export const DEFAULT_PRESTOP_SLEEP_SECONDS = 10;
export const DEFAULT_TERMINATION_GRACE_SECONDS = 60;
export const DEFAULT_NONROOT_ID = 65532;

/** The pod's shutdown; a pod behind a Service (`service`) pauses before SIGTERM by default. */
export const shutdownStep = step(['preStopSleepSeconds', 'terminationGracePeriodSeconds'], (props, { issues }, service: object | undefined): ResolvedShutdown => {
  const behindService = service !== undefined;
  const preStopSleepSeconds = props.preStopSleepSeconds ?? (behindService ? DEFAULT_PRESTOP_SLEEP_SECONDS : undefined);
  const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
  if (preStopSleepSeconds !== undefined && preStopSleepSeconds >= terminationGracePeriodSeconds) {
    const given = (key: keyof typeof props, value: number) => `'${key}' (${value}${props[key] === undefined ? ', the default' : ''})`;
    issues.push({
      path: [props.preStopSleepSeconds === undefined ? 'terminationGracePeriodSeconds' : 'preStopSleepSeconds'],
      message: `${given('preStopSleepSeconds', preStopSleepSeconds)} must be less than ${given('terminationGracePeriodSeconds', terminationGracePeriodSeconds)}, or the server is killed before it can shut down; lower preStopSleepSeconds or raise terminationGracePeriodSeconds`,
    });
  }
  return { preStopSleepSeconds, terminationGracePeriodSeconds };
});

/** The extra writable directories, none of them a volume the pod already has; problems are appended to `issues`. */
export const writablePathsStep = step(['writablePaths'], (props, { issues }, model: ResolvedModel | undefined, gpu: ResolvedGpu | undefined): string[] => {
  const taken = ['/tmp', ...(model ? [model.mountPath] : []), ...(gpu ? ['/dev/shm'] : [])];
  const paths = props.writablePaths ?? [];
  paths.forEach((p, i) => {
    if (taken.includes(p) || paths.indexOf(p) < i) {
      issues.push({ path: ['writablePaths', i], message: `'${p}' is already a volume of the pod (/tmp, /dev/shm with GPUs, the model path, or listed twice); remove it` });
    }
  });
  if (model && (model.mountPath === '/tmp' || (gpu && model.mountPath === '/dev/shm'))) {
    issues.push({ path: ['model', 'mountPath'], message: `'${model.mountPath}' is already a volume of the pod; mount the model elsewhere, e.g. /models` });
  }
  return [...paths];
});

// A fixed non-root id lets images whose Dockerfile says `USER root` (or a user name) start under runAsNonRoot.
export const podSecurityStep = step(['securityContext'], (props): ResolvedPodSecurity => ({
  runAsUser: props.securityContext?.runAsUser ?? DEFAULT_NONROOT_ID,
  runAsGroup: props.securityContext?.runAsGroup ?? DEFAULT_NONROOT_ID,
  fsGroup: props.securityContext?.fsGroup ?? DEFAULT_NONROOT_ID,
}));
