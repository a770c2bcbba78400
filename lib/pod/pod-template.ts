import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IContainerPort } from 'kubernetes-models/v1/ContainerPort';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import { isBatchMode } from '../core/modes';
import type { ModelSource } from '../core/model-uri';
import type { WorkloadProfile } from '../core/profile';
import type { EnvValue, PipelineMode, PortProtocol } from '../core/workload-props';
import type { ResolvedServiceAccount, ResolvedTopologySpread } from '../hardening/resolve-hardening';
import { GPU_RESOURCE, type ResolvedGpu } from './gpu';
import { downloadCommand, downloaderCredentials, type ResolvedModel } from './model';
import { containerProbes, type ResolvedProbes } from './probes';
import type { ResolvedPodSecurity, ResolvedShutdown } from './resolve-pod';

const TMP_VOLUME = 'tmp';
const SHM_VOLUME = 'dshm';
const MODEL_VOLUME = 'model';
/** Node label set by NVIDIA GPU feature discovery. */
const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';

/** What the pod template is built from: the resolved workload's pod, the ServiceAccount it runs as, its spread and metrics port. */
export interface PodTemplateInputs extends ResolvedPodSecurity, ResolvedShutdown {
  readonly profile: Pick<WorkloadProfile, 'containerName'>;
  readonly mode: PipelineMode;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env: Readonly<Record<string, EnvValue>>;
  readonly port?: number;
  readonly protocol: PortProtocol;
  readonly probes?: ResolvedProbes;
  readonly requests: Readonly<Record<string, string>>;
  readonly limits: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly gpu?: ResolvedGpu;
  readonly model?: ResolvedModel;
  readonly writablePaths: readonly string[];
  readonly serviceAccount: Pick<ResolvedServiceAccount, 'name' | 'automountToken'>;
  readonly topologySpread?: ResolvedTopologySpread;
  /** The metrics port, when the metrics are scraped (lib/monitoring); `ownPort` when it is not the serving port. */
  readonly metrics?: { readonly port: number; readonly portName: string; readonly ownPort: boolean };
}

/** The workload's port name on the container and the Service: `http` or `grpc`. */
export function portName(workload: { readonly protocol: PortProtocol }): string {
  return workload.protocol;
}

/**
 * The pod template, hardened to the Pod Security Standards "restricted"
 * profile: non-root, no privilege escalation, every capability dropped,
 * RuntimeDefault seccomp, read-only root filesystem with a writable /tmp,
 * and no service account token.
 */
export function podTemplate(workload: PodTemplateInputs): IPodTemplateSpec {
  return {
    metadata: { labels: { ...workload.labels } },
    spec: {
      serviceAccountName: workload.serviceAccount.name,
      automountServiceAccountToken: workload.serviceAccount.automountToken,
      // Service links put one variable per Service in the namespace into every container.
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: workload.runAsUser,
        runAsGroup: workload.runAsGroup,
        fsGroup: workload.fsGroup,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      terminationGracePeriodSeconds: workload.terminationGracePeriodSeconds,
      // A Job's pods run to completion; Never lets its pod failure policy see each failure.
      restartPolicy: isBatchMode(workload.mode) ? 'Never' : undefined,
      initContainers: workload.model?.downloaderImage ? [downloader(workload.model)] : undefined,
      containers: [container(workload)],
      volumes: [
        { name: TMP_VOLUME, emptyDir: {} },
        ...(workload.gpu ? [{ name: SHM_VOLUME, emptyDir: { medium: 'Memory', sizeLimit: workload.gpu.shmSize } }] : []),
        ...(workload.model ? modelVolumes(workload.model) : []),
        ...workload.writablePaths.map((_, i) => ({ name: `writable-${i}`, emptyDir: {} })),
      ],
      ...(workload.gpu ? gpuScheduling(workload.gpu) : {}),
      topologySpreadConstraints: workload.topologySpread && topologySpread(workload.topologySpread, workload.selectorLabels),
    },
  };
}

function modelVolumes(model: ResolvedModel): IVolume[] {
  if (model.source.scheme === 'pvc') return [{ name: MODEL_VOLUME, persistentVolumeClaim: { claimName: model.source.claim, readOnly: true } }];
  const credentials = model.credentialsSecret && model.source.scheme === 'gs' ? downloaderCredentials('gs', model.credentialsSecret).volume : undefined;
  return [
    { name: MODEL_VOLUME, emptyDir: { sizeLimit: model.sizeLimit } },
    ...(credentials ? [credentials] : []),
  ];
}

/** The init container that copies the model into its volume before the server starts. */
function downloader(model: ResolvedModel): IContainer {
  const source = model.source as Exclude<ModelSource, { scheme: 'pvc' }>;
  const credentials = model.credentialsSecret ? downloaderCredentials(source.scheme, model.credentialsSecret) : {};
  return {
    name: 'model-download',
    image: model.downloaderImage!,
    imagePullPolicy: 'IfNotPresent',
    command: downloadCommand(source, model.mountPath),
    // CLIs keep caches and config in HOME; only /tmp is writable. A GPU serving image reused as the
    // downloader must not claim the GPU.
    env: [
      { name: 'HOME', value: '/tmp' },
      ...(source.scheme === 'gs' ? [{ name: 'CLOUDSDK_CONFIG', value: '/tmp/gcloud' }] : []),
      ...(source.scheme === 'hf' ? [{ name: 'NVIDIA_VISIBLE_DEVICES', value: 'void' }] : []),
      ...(credentials.env ?? []),
    ],
    envFrom: credentials.envFrom,
    resources: {
      requests: {
        cpu: '250m',
        memory: '512Mi',
        // The download lands on the node's disk: reserve it, so the pod is not evicted for using it.
        ...(model.sizeLimit ? { 'ephemeral-storage': model.sizeLimit } : {}),
      },
      limits: { memory: '1Gi' },
    },
    securityContext: containerSecurityContext(),
    volumeMounts: [
      { name: MODEL_VOLUME, mountPath: model.mountPath },
      { name: TMP_VOLUME, mountPath: '/tmp' },
      ...(credentials.volumeMounts ?? []),
    ],
  };
}

/**
 * One constraint per node label. Each ReplicaSet is spread on its own
 * (pod-template-hash), so the old pods of a rollout do not skew the new ones;
 * only nodes whose taints the pod tolerates count.
 */
function topologySpread(spread: ResolvedTopologySpread, selector: Readonly<Record<string, string>>): ITopologySpreadConstraint[] {
  return spread.topologyKeys.map((topologyKey) => ({
    topologyKey,
    maxSkew: spread.maxSkew,
    whenUnsatisfiable: spread.whenUnsatisfiable,
    labelSelector: { matchLabels: { ...selector } },
    matchLabelKeys: ['pod-template-hash'],
    // Nodes the pod cannot go to (tainted GPU pools, control planes) are no domain to spread over.
    nodeTaintsPolicy: 'Honor',
  }));
}

/** Where GPU pods may run: tolerate the GPU taint, pin the product when asked, use its runtime. */
function gpuScheduling(gpu: ResolvedGpu): Pick<IPodSpec, 'tolerations' | 'affinity' | 'runtimeClassName'> {
  return {
    // GPU node pools are tainted nvidia.com/gpu so that other pods stay off them.
    tolerations: [{ key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' }],
    affinity: gpu.product === undefined ? undefined : {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: GPU_PRODUCT_LABEL, operator: 'In', values: [gpu.product] }] }],
        },
      },
    },
    runtimeClassName: gpu.runtimeClassName,
  };
}

function container(workload: PodTemplateInputs): IContainer {
  return {
    name: workload.profile.containerName,
    image: workload.image,
    imagePullPolicy: 'IfNotPresent',
    command: workload.command && [...workload.command],
    args: workload.args && [...workload.args],
    env: envVars(workload.env),
    ports: containerPorts(workload),
    ...(workload.port !== undefined && workload.probes ? containerProbes(portName(workload), workload.probes) : {}),
    resources: { requests: quantities(workload.requests), limits: quantities(workload.limits) },
    securityContext: containerSecurityContext(),
    lifecycle: !workload.preStopSleepSeconds ? undefined : {
      // Keeps serving while the endpoint removal reaches every proxy; SIGTERM comes after.
      preStop: { exec: { command: ['sleep', String(workload.preStopSleepSeconds)] } },
    },
    volumeMounts: [
      { name: TMP_VOLUME, mountPath: '/tmp' },
      ...(workload.gpu ? [{ name: SHM_VOLUME, mountPath: '/dev/shm' }] : []),
      // The server only reads the model: a bug cannot corrupt it for the next restart.
      ...(workload.model ? [{ name: MODEL_VOLUME, mountPath: workload.model.mountPath, readOnly: true, subPath: workload.model.source.scheme === 'pvc' ? workload.model.source.path || undefined : undefined }] : []),
      ...workload.writablePaths.map((mountPath, i) => ({ name: `writable-${i}`, mountPath })),
    ],
  };
}

function containerSecurityContext(): ISecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}

function containerPorts(workload: PodTemplateInputs): IContainerPort[] | undefined {
  const ports: IContainerPort[] = [
    ...(workload.port === undefined ? [] : [{ name: portName(workload), containerPort: workload.port, protocol: 'TCP' as const }]),
    ...(workload.metrics?.ownPort ? [{ name: workload.metrics.portName, containerPort: workload.metrics.port, protocol: 'TCP' as const }] : []),
  ];
  return ports.length > 0 ? ports : undefined;
}

function envVars(env: Readonly<Record<string, EnvValue>>): IEnvVar[] | undefined {
  const vars = Object.entries(env).map(([name, value]): IEnvVar => {
    if (typeof value !== 'object') return { name, value: String(value) };
    if ('secretKeyRef' in value) return { name, valueFrom: { secretKeyRef: { ...value.secretKeyRef } } };
    if ('configMapKeyRef' in value) return { name, valueFrom: { configMapKeyRef: { ...value.configMapKeyRef } } };
    return { name, valueFrom: { fieldRef: { fieldPath: value.fieldRef.fieldPath } } };
  });
  return vars.length > 0 ? vars : undefined;
}

function quantities(values: Readonly<Record<string, string>>): Record<string, string> | undefined {
  return Object.keys(values).length > 0 ? { ...values } : undefined;
}
