import type { IContainer } from 'kubernetes-models/v1/Container';
import { step } from '../core/steps';
import type { PortProtocol } from '../core/workload-props';

// The container's probes: read, defaulted and checked here, and rendered for the pod template.

/** Probes with every default filled in. */
export interface ResolvedProbes {
  /** HTTP path of the readiness and startup probes, or undefined for TCP. */
  readonly readinessPath?: string;
  /** HTTP path of the liveness probe, or undefined for TCP. */
  readonly livenessPath?: string;
  readonly startupTimeoutSeconds: number;
}

export const DEFAULT_STARTUP_TIMEOUT_SECONDS = 600;
const READINESS_PERIOD_SECONDS = 5;
const LIVENESS_PERIOD_SECONDS = 10;
const STARTUP_PERIOD_SECONDS = 10;
const PROBE_TIMEOUT_SECONDS = 5;

/** The probes of a workload with a port; none without one. */
export const probesStep = step(['probes'], (props, { issues }, { port, protocol }: { readonly port?: number; readonly protocol: PortProtocol }): ResolvedProbes | undefined => {
  if (port === undefined) return undefined;
  const probes = props.probes ?? {};
  if (protocol === 'grpc') {
    for (const key of ['path', 'readinessPath', 'livenessPath'] as const) {
      if (probes[key] !== undefined) {
        issues.push({ path: ['probes', key], message: `an HTTP probe cannot check a gRPC port; remove 'probes.${key}' (the port is checked over TCP) or set 'protocol: http'` });
      }
    }
  }
  return {
    readinessPath: probes.readinessPath ?? probes.path,
    livenessPath: probes.livenessPath ?? probes.path,
    startupTimeoutSeconds: probes.startupTimeoutSeconds ?? DEFAULT_STARTUP_TIMEOUT_SECONDS,
  };
});

/** The container's startup, readiness and liveness probes on `port` (a number or a port name). */
export function containerProbes(port: number | string, config: ResolvedProbes): Pick<IContainer, 'startupProbe' | 'readinessProbe' | 'livenessProbe'> {
  const check = (path: string | undefined) => path === undefined
    ? { tcpSocket: { port } }
    : { httpGet: { path, port, scheme: 'HTTP' as const } };
  return {
    // Liveness and readiness wait until this passes, so a slow model load is not killed.
    startupProbe: {
      ...check(config.readinessPath),
      periodSeconds: STARTUP_PERIOD_SECONDS,
      timeoutSeconds: PROBE_TIMEOUT_SECONDS,
      failureThreshold: Math.ceil(config.startupTimeoutSeconds / STARTUP_PERIOD_SECONDS),
      successThreshold: 1,
    },
    readinessProbe: {
      ...check(config.readinessPath),
      periodSeconds: READINESS_PERIOD_SECONDS,
      timeoutSeconds: PROBE_TIMEOUT_SECONDS,
      failureThreshold: 3,
      successThreshold: 1,
    },
    livenessProbe: {
      ...check(config.livenessPath),
      periodSeconds: LIVENESS_PERIOD_SECONDS,
      timeoutSeconds: PROBE_TIMEOUT_SECONDS,
      // A busy model server may answer slowly for a while; restart only after a minute.
      failureThreshold: 6,
      successThreshold: 1,
    },
  };
}
