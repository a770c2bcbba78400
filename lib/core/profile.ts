/** What distinguishes one workload kind from another: its defaults. */
export interface WorkloadProfile {
  /** The `kind` of a workload file. */
  readonly kind: string;
  /** `app.kubernetes.io/component` of its objects. */
  readonly component: string;
  /** Name of the main container. */
  readonly containerName: string;
  /** Container port when the props give none. */
  readonly defaultPort?: number;
  /** cpu and memory requests when the props give none. */
  readonly defaultRequests: { readonly cpu: string; readonly memory: string };
  /** Rolling update `maxUnavailable`; 0 keeps full serving capacity during a slow rollout. */
  readonly maxUnavailable: string | number;
  /** Whether the kind may run as a Job, CronJob or KEDA ScaledJob (`mode`). */
  readonly batchModes: boolean;
}
