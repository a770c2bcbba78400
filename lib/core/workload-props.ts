/**
 * Props shared by every cdk8s-ml workload. The keys of a workload file are
 * exactly these props (plus `kind`), so a file and a TypeScript call read alike.
 */

/** A Kubernetes quantity such as `500m`, `1`, `2Gi`; YAML numbers are accepted too. */
export type Quantity = string | number;

/** The model-server signals cdk8s-ml knows how to scale on (`lib/autoscaling/presets.ts` defines each). */
export const METRIC_PRESET_NAMES = ['vllm-queue-length', 'triton-queue-time', 'gpu-utilization', 'requests-per-second'] as const;

/** One of METRIC_PRESET_NAMES. */
export type MetricPresetName = (typeof METRIC_PRESET_NAMES)[number];

/** One preset and the value it keeps. */
export interface MetricPreset {
  /** The signal. */
  readonly name: MetricPresetName;
  /** Value to keep: waiting requests per pod, queue microseconds, GPU percent, or requests per second per pod. */
  readonly target: number;
}

/** How the workload's Service is exposed. */
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

/** The application protocol spoken on the workload's port. */
export type PortProtocol = 'http' | 'grpc';

/** A key of a Secret or ConfigMap that an environment variable reads. */
export interface KeySelector {
  /** Name of the Secret or ConfigMap in the workload's namespace. */
  readonly name: string;
  /** Key inside it. */
  readonly key: string;
  /** Start the pod even when the key is missing. @default false */
  readonly optional?: boolean;
}

/**
 * The value of one environment variable: a literal (numbers and booleans are
 * written as strings) or a reference.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#environment-variables
 */
export type EnvValue =
  | string
  | number
  | boolean
  | { readonly secretKeyRef: KeySelector }
  | { readonly configMapKeyRef: KeySelector }
  | { readonly fieldRef: { readonly fieldPath: string } };

/** Container resource requests and limits. */
export interface ResourceRequirements {
  /** Resources the scheduler reserves. @default - see the kind's defaults; cpu and memory are always set */
  readonly requests?: Readonly<Record<string, Quantity>>;
  /** Hard caps. @default - memory limit equals the memory request; no cpu limit */
  readonly limits?: Readonly<Record<string, Quantity>>;
}

/** One HPA scaling policy. @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#scaling-policies */
export interface ScalingPolicy {
  /** Whether `value` counts pods or a percentage of current replicas. */
  readonly type: 'Pods' | 'Percent';
  /** Pods or percent allowed to change in one period; at least 1. */
  readonly value: number;
  /** Length of the period in seconds, 1 to 1800. */
  readonly periodSeconds: number;
}

/** HPA scaling rules for one direction, in the `autoscaling/v2` shape. */
export interface ScalingRules {
  /** Seconds of past recommendations considered, 0 to 3600. @default 0 for scaleUp, 300 for scaleDown */
  readonly stabilizationWindowSeconds?: number;
  /** Which policy wins when several apply. @default Max */
  readonly selectPolicy?: 'Max' | 'Min' | 'Disabled';
  /** The policies. @default - Kubernetes' defaults for the direction */
  readonly policies?: readonly ScalingPolicy[];
}

/** HPA `behavior`. @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/ */
export interface AutoscalingBehavior {
  /** How fast to add pods. @default - Kubernetes' scale-up defaults: 100% or 4 pods per 15 s, no stabilization */
  readonly scaleUp?: ScalingRules;
  /** How fast to remove pods. @default - Kubernetes' scale-down defaults: 100% per 15 s after a 300 s stabilization window */
  readonly scaleDown?: ScalingRules;
}

/** What an HPA metric aims for. @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/#MetricTarget */
export interface MetricTarget {
  /** `Utilization` (percent of the request; Resource and ContainerResource only), `AverageValue` (per pod) or `Value` (total; Object and External only). */
  readonly type: 'Utilization' | 'AverageValue' | 'Value';
  /** Percent of the request, with type Utilization. @default - none: set the one field its `type` names */
  readonly averageUtilization?: number;
  /** Quantity per pod, with type AverageValue: `500m`, `4Gi`, `5`. @default - none: set the one field its `type` names */
  readonly averageValue?: Quantity;
  /** Total quantity, with type Value. @default - none: set the one field its `type` names */
  readonly value?: Quantity;
}

/** A metric of a custom or external metrics API, and the labels that pick its series. */
export interface MetricIdentifier {
  /** Metric name, e.g. `vllm:num_requests_waiting`. */
  readonly name: string;
  /** Label selector of the series. @default - all series of the metric */
  readonly selector?: {
    /** Labels every series must have. @default - none */
    readonly matchLabels?: Readonly<Record<string, string>>;
  };
}

/** One `autoscaling/v2` HPA metric, in the Kubernetes shape. */
export type MetricSpec =
  | { readonly type: 'Resource'; readonly resource: { readonly name: 'cpu' | 'memory'; readonly target: MetricTarget } }
  | { readonly type: 'ContainerResource'; readonly containerResource: { readonly name: 'cpu' | 'memory'; readonly container: string; readonly target: MetricTarget } }
  | { readonly type: 'Pods'; readonly pods: { readonly metric: MetricIdentifier; readonly target: MetricTarget } }
  | {
    readonly type: 'Object';
    readonly object: {
      readonly describedObject: { readonly apiVersion: string; readonly kind: string; readonly name: string };
      readonly metric: MetricIdentifier;
      readonly target: MetricTarget;
    };
  }
  | { readonly type: 'External'; readonly external: { readonly metric: MetricIdentifier; readonly target: MetricTarget } };

/** KEDA scalers cdk8s-ml knows how to check. @see https://keda.sh/docs/latest/scalers/ */
export type KedaTriggerType = 'prometheus' | 'kafka' | 'rabbitmq' | 'aws-sqs-queue' | 'cpu' | 'memory';

/** Credentials a trigger reads from an existing Secret, through a generated KEDA TriggerAuthentication. */
export interface TriggerSecretAuthentication {
  /** Name of the existing Secret in the workload's namespace. */
  readonly secret: string;
  /** Scaler parameter to Secret key, e.g. `{ sasl: sasl, username: user, password: password }`. */
  readonly parameters: Readonly<Record<string, string>>;
}

/** One KEDA trigger, in KEDA's shape. @see https://keda.sh/docs/latest/reference/scaledobject-spec/#triggers */
export interface KedaTrigger {
  /** The scaler. */
  readonly type: KedaTriggerType;
  /** Scaler settings; numbers are written as strings. Never credentials: use `authentication`. */
  readonly metadata: Readonly<Record<string, string | number | boolean>>;
  /** Name of the trigger, shown in KEDA's metrics. @default - none */
  readonly name?: string;
  /** How the value is compared: `AverageValue` (per replica), `Value` or `Utilization` (cpu and memory). @default - KEDA's: AverageValue, Utilization for cpu and memory */
  readonly metricType?: 'AverageValue' | 'Value' | 'Utilization';
  /** Credentials from an existing Secret; creates a TriggerAuthentication `<name>-<trigger index>`. @default - none */
  readonly authentication?: TriggerSecretAuthentication;
  /** Name of an existing TriggerAuthentication to use instead. @default - none */
  readonly authenticationRef?: string;
}

/** What KEDA does when a scaler cannot be read. */
export interface KedaFallback {
  /** Failed reads in a row before falling back. */
  readonly failureThreshold: number;
  /** Replicas to run meanwhile. */
  readonly replicas: number;
}

/** Horizontal autoscaling: an `autoscaling/v2` HorizontalPodAutoscaler, or a KEDA ScaledObject. */
export interface AutoscalingOptions {
  /** Which autoscaler to write. @default - keda when minReplicas is 0 or triggers are given, else hpa */
  readonly engine?: 'hpa' | 'keda';
  /** Fewest replicas: at least 1 with the HPA, 0 (scale to zero) with KEDA. @default 1 */
  readonly minReplicas?: number;
  /** Most replicas. @default 3 */
  readonly maxReplicas?: number;
  /** Average CPU use, as a percentage of the cpu request, that the HPA keeps. @default 80 when no other metric is given */
  readonly targetCPUUtilizationPercentage?: number;
  /** Average memory use, as a percentage of the memory request, that the HPA keeps. @default - none */
  readonly targetMemoryUtilizationPercentage?: number;
  /** Further metrics in the `autoscaling/v2` shape, after the cpu and memory shorthands. @default - none */
  readonly metrics?: readonly MetricSpec[];
  /** Scaling behaviour; whatever is left out gets Kubernetes' defaults, written out (under `advanced.horizontalPodAutoscalerConfig` with KEDA). @default - Kubernetes' defaults for both directions */
  readonly behavior?: AutoscalingBehavior;
  /** Model-server signals to scale on (HPA Pods metrics, or KEDA prometheus triggers); see the README's metric presets. @default - none */
  readonly presets?: readonly MetricPreset[];
  /** Prometheus that KEDA presets query. @default http://prometheus-operated.monitoring.svc:9090 */
  readonly prometheusAddress?: string;
  /** KEDA triggers; choose the keda engine. @default - none */
  readonly triggers?: readonly KedaTrigger[];
  /** KEDA: seconds after the last active trigger before scaling to zero. @default 300 */
  readonly cooldownPeriodSeconds?: number;
  /** KEDA: seconds between checks of the triggers. @default 30 */
  readonly pollingIntervalSeconds?: number;
  /** KEDA: replicas to run while triggers cannot be read. @default - none: keep the current count */
  readonly fallback?: KedaFallback;
}

/** The workload's Service. */
export interface ServiceOptions {
  /** Port the Service listens on. @default - the container port */
  readonly port?: number;
  /** How the Service is exposed. @default ClusterIP */
  readonly type?: ServiceType;
  /** Node port, with type NodePort or LoadBalancer. @default - the cluster picks one */
  readonly nodePort?: number;
}

/** Health probes of a container that listens on a port. */
export interface ProbeOptions {
  /** HTTP path for every probe. @default - a TCP connection to the port */
  readonly path?: string;
  /** HTTP path for the readiness and startup probes. @default - `path` */
  readonly readinessPath?: string;
  /** HTTP path for the liveness probe. @default - `path` */
  readonly livenessPath?: string;
  /** Seconds the server may take to start (load its model) before it is restarted. @default 600 */
  readonly startupTimeoutSeconds?: number;
}

/** Pod user and group. Pods always run as non-root. */
export interface SecurityOptions {
  /** UID the containers run as; must not be 0. @default 65532 */
  readonly runAsUser?: number;
  /** GID the containers run as. @default 65532 */
  readonly runAsGroup?: number;
  /** Group that owns mounted volumes. @default 65532 */
  readonly fsGroup?: number;
}

/** One policy rule a workload is exempt from, and why. */
export interface PolicyException {
  /** The rule ID, e.g. `ENV-SECRET-LITERAL`; see the README's rule table. */
  readonly rule: string;
  /** Why the rule does not apply here; shown in every report. */
  readonly reason: string;
}

/** Policy settings of a workload. */
export interface PolicyOptions {
  /** Rules this workload is exempt from, each with a reason. @default - none */
  readonly ignore?: readonly PolicyException[];
}

/** NVIDIA GPUs for the container. */
export interface GpuOptions {
  /** GPUs per pod (`nvidia.com/gpu`, requested and limited). */
  readonly count: number;
  /** GPU product the pods must run on, matched on the node label `nvidia.com/gpu.product` (e.g. `NVIDIA-A100-SXM4-80GB`). @default - any GPU */
  readonly product?: string;
  /** RuntimeClass that gives containers the GPU (e.g. `nvidia`). @default - the cluster's default runtime */
  readonly runtimeClassName?: string;
  /** Size of the memory-backed /dev/shm that NCCL and PyTorch data loaders need; counts against the memory limit. @default - no size limit */
  readonly shmSize?: Quantity;
}

/** Rolling update settings. @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment */
export interface RolloutOptions {
  /** Pods above the desired count during a rollout: a number or a percentage. @default 25%, or 0 with GPUs */
  readonly maxSurge?: number | string;
  /** Pods below the desired count during a rollout. @default 0 for ModelServing, 25% for MlPipeline, 1 with GPUs */
  readonly maxUnavailable?: number | string;
}

/** Model weights the server loads, fetched before it starts or mounted from a volume. */
export interface ModelOptions {
  /** Where the model is: `s3://bucket/path`, `gs://bucket/path`, `hf://org/repo[@revision]`, or `pvc://claim/path` (mounted read-only, nothing downloaded). */
  readonly uri: string;
  /** Where the server finds the model files. @default /models */
  readonly mountPath?: string;
  /** Existing Secret with the download credentials: AWS_* keys for s3, key.json (a service account key) for gs, HF_TOKEN for hf. @default - none: the pod's identity (IRSA, Workload Identity) or a public model */
  readonly credentialsSecret?: string;
  /** Image of the init container that downloads the model. @default - a pinned aws-cli image for s3, google-cloud-cli for gs, the workload's own image (with huggingface-cli) for hf */
  readonly downloaderImage?: string;
  /** Size limit of the volume the model is downloaded into. @default - no limit */
  readonly sizeLimit?: Quantity;
  /** Seconds the download may take, added to the Deployment's progress deadline. @default 1800 */
  readonly downloadTimeoutSeconds?: number;
}

/** The ways a pipeline stage runs: a Deployment, a Job, a CronJob, a KEDA ScaledJob. */
export const PIPELINE_MODES = ['worker', 'job', 'cronjob', 'queue-job'] as const;

/** How `npm run simulate` models a pod of a workload. */
export interface SimulationOptions {
  /** Load units per second one ready pod serves at 100% of its cpu request: the unit of the load you replay (requests, messages, tokens per second). @default 1 (load counted in pods' worth of work) */
  readonly podCapacity?: number;
  /** Seconds from a pod's creation to ready: image pull, model download and model load. @default 60 */
  readonly podStartupSeconds?: number;
}

/** How a pipeline stage runs. */
export type PipelineMode = (typeof PIPELINE_MODES)[number];

/** A rule of a Job's pod failure policy, in the Kubernetes shape. @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy */
export interface PodFailurePolicyRule {
  /** What a matching failure does to the Job. */
  readonly action: 'FailJob' | 'Ignore' | 'Count';
  /** Matches the container's exit code. @default - none: give this or `onPodConditions` */
  readonly onExitCodes?: {
    /** The container whose exit code counts. @default - any container of the pod */
    readonly containerName?: string;
    readonly operator: 'In' | 'NotIn';
    readonly values: readonly number[];
  };
  /** Matches pod conditions, e.g. DisruptionTarget (the pod was evicted or preempted). @default - none: give this or `onExitCodes` */
  readonly onPodConditions?: readonly { readonly type: string; readonly status?: 'True' | 'False' | 'Unknown' }[];
}

/** Settings of a Job, for modes job, cronjob and queue-job. @see https://kubernetes.io/docs/concepts/workloads/controllers/job/ */
export interface JobOptions {
  /** Pods running at once. @default 1 */
  readonly parallelism?: number;
  /** Successful pods needed. @default 1 */
  readonly completions?: number;
  /** `Indexed` gives each pod its index in JOB_COMPLETION_INDEX (sharded batch work). @default NonIndexed */
  readonly completionMode?: 'NonIndexed' | 'Indexed';
  /** Retries before the Job fails. @default 6 */
  readonly backoffLimit?: number;
  /** Seconds the Job may run before it is stopped. @default - no deadline */
  readonly activeDeadlineSeconds?: number;
  /** Seconds a finished Job is kept before it is deleted. Under Argo CD with selfHeal a deleted Job is re-created and runs again. @default - kept */
  readonly ttlSecondsAfterFinished?: number;
  /** Which failures count against backoffLimit. @default - evictions and preemptions (DisruptionTarget) are ignored */
  readonly podFailurePolicy?: { readonly rules: readonly PodFailurePolicyRule[] };
}

/** When and how a CronJob runs its Jobs. @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ */
export interface CronOptions {
  /** Cron schedule, e.g. `0 2 * * *` or `@daily`. */
  readonly schedule: string;
  /** IANA time zone of the schedule, e.g. `Europe/Paris`. @default - the controller's time zone (usually UTC) */
  readonly timeZone?: string;
  /** What to do when a run is due while the last one still runs. @default Forbid */
  readonly concurrencyPolicy?: 'Forbid' | 'Allow' | 'Replace';
  /** Finished successful Jobs kept. @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** Failed Jobs kept. @default 1 */
  readonly failedJobsHistoryLimit?: number;
  /** Seconds after a missed start time that a run may still start. @default - no limit */
  readonly startingDeadlineSeconds?: number;
  /** Stop scheduling new runs. @default false */
  readonly suspend?: boolean;
}

/** The workload's PodDisruptionBudget: how many of its pods a node drain may evict at once. Give one of the two. */
export interface DisruptionBudgetOptions {
  /** Pods that may be down at once: a number or a percentage; above 0, so a drain is never blocked. @default 1 */
  readonly maxUnavailable?: number | string;
  /** Pods that must stay up instead: a number or a percentage below 100%, fewer than the fewest replicas. @default - none: maxUnavailable 1 */
  readonly minAvailable?: number | string;
}

/** How the pods of a Deployment spread over zones and nodes. @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/ */
export interface TopologySpreadOptions {
  /** `ScheduleAnyway` prefers an even spread; `DoNotSchedule` leaves a pod pending rather than skew it. @default ScheduleAnyway */
  readonly whenUnsatisfiable?: 'ScheduleAnyway' | 'DoNotSchedule';
  /** Largest difference in the workload's pod count between two zones (or nodes). @default 1 */
  readonly maxSkew?: number;
  /** Node labels to spread over, one constraint each. @default [topology.kubernetes.io/zone, kubernetes.io/hostname] */
  readonly topologyKeys?: readonly string[];
}

/** Pods a NetworkPolicy rule admits: a namespace, pods by label, or an IP block. */
export interface NetworkPeer {
  /** The namespace with this name (matched on its kubernetes.io/metadata.name label). @default - with podLabels, the workload's own namespace */
  readonly namespace?: string;
  /** Namespaces with these labels; instead of `namespace`. @default - none */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /** Pods with these labels (in `namespace` or the namespaces of `namespaceLabels`). @default - every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** An IP block in CIDR notation, e.g. 10.0.0.0/8 or 0.0.0.0/0; alone. @default - none */
  readonly cidr?: string;
}

/** Where a workload's pods may connect to. */
export interface EgressPeer extends NetworkPeer {
  /** TCP ports allowed; all ports when left out. @default - all */
  readonly ports?: readonly number[];
}

/** The workload's NetworkPolicy. Ingress is always restricted; egress only when `egressTo` is given. */
export interface NetworkPolicyOptions {
  /** Who may connect to the serving port. @default - the pods of the workload's own namespace; anyone with a NodePort or LoadBalancer Service */
  readonly ingressFrom?: readonly NetworkPeer[];
  /** Namespace of the Prometheus that scrapes the metrics port. @default monitoring */
  readonly monitoringNamespace?: string;
  /** Where the pods may connect to, besides DNS (always allowed); remember the model download. @default - anywhere: egress is not restricted */
  readonly egressTo?: readonly EgressPeer[];
}

/** The workload's own ServiceAccount. */
export interface ServiceAccountOptions {
  /** Annotations, e.g. eks.amazonaws.com/role-arn or iam.gke.io/gcp-service-account to give the pods a cloud identity. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Mount an API token into the pods; only for servers that call the Kubernetes API. @default false */
  readonly automountToken?: boolean;
}

/** Prometheus metrics the workload serves, scraped through a ServiceMonitor (or a PodMonitor without a Service). */
export interface MetricsOptions {
  /** Port the metrics are served on; may be the workload's own `port`. */
  readonly port: number;
  /** HTTP path of the metrics. @default /metrics */
  readonly path?: string;
  /** How often Prometheus scrapes, e.g. 15s or 1m. @default 30s */
  readonly interval?: string;
  /** Labels of the ServiceMonitor or PodMonitor, for a Prometheus that selects monitors by label (e.g. release: kube-prometheus-stack). @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Props every workload kind takes. */
export interface WorkloadProps {
  /** DNS-1035 label; `metadata.name` of every object and the `app.kubernetes.io/name` label. */
  readonly name: string;
  /** Namespace of every object. @default - no namespace: objects go where they are applied */
  readonly namespace?: string;
  /** Container image with a tag other than `latest`, or a digest. */
  readonly image: string;
  /** Port the container listens on. @default - 8080 for ModelServing; none for MlPipeline (no Service, no probes) */
  readonly port?: number;
  /** Protocol on `port`; names the container and Service port. @default http */
  readonly protocol?: PortProtocol;
  /** The workload's Service, when it has a port. @default - a ClusterIP Service on the container port, whenever there is a port */
  readonly service?: ServiceOptions;
  /** Entrypoint override. @default - the image's ENTRYPOINT */
  readonly command?: readonly string[];
  /** Arguments. @default - the image's CMD */
  readonly args?: readonly string[];
  /** Environment variables, in the order given. @default - none */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** Container resources. @default - requests cpu 500m, memory 1Gi (ModelServing) or cpu 250m, memory 512Mi (MlPipeline); a memory limit equal to the memory request; no cpu limit */
  readonly resources?: ResourceRequirements;
  /** Fixed replica count; only without `autoscaling`. @default - autoscaled */
  readonly replicas?: number;
  /** Horizontal autoscaling; on unless `replicas` is given. @default - an HPA from 1 to 3 replicas at 80% cpu utilization */
  readonly autoscaling?: AutoscalingOptions;
  /** Health probes; only with a port. @default - TCP startup, readiness and liveness probes on the port, 600 s to start */
  readonly probes?: ProbeOptions;
  /** Seconds the container waits in a preStop hook so endpoints drain before SIGTERM. @default 10 with a Service, else none */
  readonly preStopSleepSeconds?: number;
  /** Seconds a pod gets to shut down after it is told to stop. @default 60 */
  readonly terminationGracePeriodSeconds?: number;
  /** Extra labels on every object and pod. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Pod user and group. @default - user, group and fsGroup 65532 */
  readonly securityContext?: SecurityOptions;
  /** An existing ServiceAccount for the pods, instead of the workload's own. @default - the workload's own ServiceAccount (see `serviceAccount`) */
  readonly serviceAccountName?: string;
  /** The workload's own ServiceAccount, named after it; e.g. annotated for a cloud role (IRSA, GKE Workload Identity) that reads the model bucket. @default - created, without annotations or token */
  readonly serviceAccount?: ServiceAccountOptions;
  /** PodDisruptionBudget, or false for none. @default - maxUnavailable 1 when the workload can run more than one pod */
  readonly disruptionBudget?: DisruptionBudgetOptions | false;
  /** Spread of a Deployment's pods, or false for none. @default - over zones and nodes, ScheduleAnyway */
  readonly topologySpread?: TopologySpreadOptions | false;
  /** NetworkPolicy, or false for none. @default - ingress to the serving port from the own namespace and to the metrics port from the monitoring namespace; egress open */
  readonly networkPolicy?: NetworkPolicyOptions | false;
  /** Prometheus metrics to scrape. @default - none: no ServiceMonitor or PodMonitor */
  readonly metrics?: MetricsOptions;
  /** NVIDIA GPUs; also set by `resources.limits["nvidia.com/gpu"]`. @default - none */
  readonly gpu?: GpuOptions;
  /** Rolling update settings. @default - maxSurge 25%; maxUnavailable 0 (ModelServing) or 25% (MlPipeline); with GPUs maxSurge 0, maxUnavailable 1 */
  readonly rollout?: RolloutOptions;
  /** Model weights, downloaded by an init container or mounted from a PersistentVolumeClaim. @default - none */
  readonly model?: ModelOptions;
  /** Extra writable directories (emptyDir volumes) for caches under the read-only root filesystem, e.g. /home/app/.cache. @default - only /tmp */
  readonly writablePaths?: readonly string[];
  /** How an MlPipeline runs: `worker` (a Deployment), `job`, `cronjob`, or `queue-job` (a KEDA ScaledJob). @default worker */
  readonly mode?: PipelineMode;
  /** Job settings, for modes job, cronjob and queue-job. @default - one pod, 6 retries, evictions not counted as failures */
  readonly job?: JobOptions;
  /** Schedule, for mode cronjob. @default - none; required for mode cronjob */
  readonly cron?: CronOptions;
  /** Policy exceptions. @default - none: every rule applies */
  readonly policy?: PolicyOptions;
  /** How `npm run simulate` models a pod of this workload; changes nothing in the manifests. @default - one load unit per second per pod, ready 60 s after it is created */
  readonly simulation?: SimulationOptions;
  /**
   * In a chart composed in TypeScript: whether `app.synth()` checks this workload's objects
   * with the schema and policy rules of `npm run validate` and fails on a violation (turn
   * off one rule with `policy.ignore` instead). `false` leaves this workload's findings out;
   * the chart's other objects are still checked, with it in view, unless every workload of
   * the chart says `false`: then the chart is not checked. Not a workload-file key: the app
   * checks every object of its files.
   * @default true
   */
  readonly validation?: boolean;
}
