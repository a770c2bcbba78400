import { k8s } from 'cdk8s-plus-28';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ScaledJob } from '../../imports/scaledjob-keda.sh';
import { ScaledObject } from '../../imports/scaledobject-keda.sh';
import { TriggerAuthentication } from '../../imports/triggerauthentication-keda.sh';
import { horizontalPodAutoscalerSpec } from '../autoscaling/horizontal-pod-autoscaler';
import { type ResolvedTriggerAuthentication, scaledObjectSpec, triggerAuthenticationSpec } from '../autoscaling/keda';
import { cronJobSpec, jobSpec, scaledJobSpec } from '../pipeline/job';
import { podTemplate, portName } from '../pod/pod-template';
import { type ResolvedAutoscaling, resolveWorkload, type ResolvedWorkload, type WorkloadProfile } from './resolve';
import type { WorkloadProps } from './workload-props';

/**
 * A Deployment, a Service when the workload has a port, and an autoscaler
 * unless the replica count is fixed; or, in a batch mode, a Job, CronJob or
 * KEDA ScaledJob. ModelServing and MlPipeline are this with their own defaults.
 */
export abstract class Workload extends Construct {
  /** The props with every default resolved. */
  public readonly config: ResolvedWorkload;
  /** The Deployment, in mode worker. */
  public readonly deployment?: k8s.KubeDeployment;
  /** The Job, in mode job. */
  public readonly job?: k8s.KubeJob;
  /** The CronJob, in mode cronjob. */
  public readonly cronJob?: k8s.KubeCronJob;
  /** The KEDA ScaledJob, in mode queue-job. */
  public readonly scaledJob?: ApiObject;
  /** The Service, when the workload has a port. */
  public readonly service?: k8s.KubeService;
  /** The autoscaler, unless `replicas` fixes the replica count: a HorizontalPodAutoscaler, or a KEDA ScaledObject. */
  public readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2 | ScaledObject;
  /** The KEDA TriggerAuthentications generated for triggers' `authentication`. */
  public readonly triggerAuthentications: readonly TriggerAuthentication[];

  protected constructor(scope: Construct, id: string, props: WorkloadProps, profile: WorkloadProfile) {
    const config = resolveWorkload(props, profile);
    super(scope, id);
    this.config = config;
    const { job, cron, autoscaling } = config;
    switch (config.mode) {
      case 'worker':
        this.deployment = this.createDeployment();
        this.service = config.service && this.createService(config.service);
        this.autoscaler = autoscaling && this.createAutoscaler(autoscaling);
        break;
      case 'job':
        this.job = new k8s.KubeJob(this, 'Job', { metadata: this.metadata(), spec: jobSpec(config, job!) });
        break;
      case 'cronjob':
        this.cronJob = new k8s.KubeCronJob(this, 'CronJob', { metadata: this.metadata(), spec: cronJobSpec(config, job!, cron!) });
        break;
      case 'queue-job':
        if (autoscaling?.engine !== 'keda') throw new Error(`queue-job '${config.name}' resolved without KEDA autoscaling`);
        // The Job template is KEDA's copy of the Kubernetes JobSpec: written as Kubernetes JSON, not through KEDA's generated types.
        this.scaledJob = new ApiObject(this, 'ScaledJob', { ...ScaledJob.GVK, metadata: this.metadata(), spec: scaledJobSpec(config, job!, autoscaling) });
        break;
    }
    this.triggerAuthentications = config.autoscaling?.engine === 'keda' ? config.autoscaling.authentications.map((a) => this.createTriggerAuthentication(a)) : [];
  }

  /** The Kubernetes objects this workload created, the workload itself first. */
  public get objects(): ApiObject[] {
    return [this.deployment, this.job, this.cronJob, this.scaledJob, this.service, this.autoscaler, ...this.triggerAuthentications]
      .filter((o): o is NonNullable<typeof o> => o !== undefined);
  }

  /** The workload's name: `metadata.name` of each of its objects. */
  public get name(): string {
    return this.config.name;
  }

  private metadata(): k8s.ObjectMeta {
    const annotations = Object.keys(this.config.annotations).length > 0 ? { ...this.config.annotations } : undefined;
    return { name: this.config.name, namespace: this.config.namespace, labels: { ...this.config.labels }, annotations };
  }

  private createDeployment(): k8s.KubeDeployment {
    const config = this.config;
    return new k8s.KubeDeployment(this, 'Deployment', {
      metadata: this.metadata(),
      spec: {
        // Absent when autoscaled: the HPA owns the count, and GitOps must not reset it.
        replicas: config.replicas,
        selector: { matchLabels: { ...config.selectorLabels } },
        progressDeadlineSeconds: config.progressDeadlineSeconds,
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: intOrString(config.rollout.maxSurge), maxUnavailable: intOrString(config.rollout.maxUnavailable) },
        },
        template: podTemplate(config),
      },
    });
  }

  private createService(service: NonNullable<ResolvedWorkload['service']>): k8s.KubeService {
    const name = portName(this.config);
    return new k8s.KubeService(this, 'Service', {
      metadata: this.metadata(),
      spec: {
        type: service.type,
        selector: { ...this.config.selectorLabels },
        ports: [{
          name,
          port: service.port,
          targetPort: k8s.IntOrString.fromString(name),
          nodePort: service.nodePort,
          protocol: 'TCP',
          appProtocol: this.config.protocol === 'grpc' ? 'kubernetes.io/h2c' : 'http',
        }],
      },
    });
  }

  private createAutoscaler(autoscaling: ResolvedAutoscaling): k8s.KubeHorizontalPodAutoscalerV2 | ScaledObject {
    if (autoscaling.engine === 'keda') {
      return new ScaledObject(this, 'Autoscaler', { metadata: this.metadata(), spec: scaledObjectSpec(this.config.name, autoscaling) });
    }
    return new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
      metadata: this.metadata(),
      spec: horizontalPodAutoscalerSpec(this.config.name, autoscaling),
    });
  }

  private createTriggerAuthentication(auth: ResolvedTriggerAuthentication): TriggerAuthentication {
    // Named after the workload and the trigger's position, never after a construct id.
    return new TriggerAuthentication(this, `TriggerAuthentication${auth.name.slice(this.config.name.length)}`, {
      metadata: { ...this.metadata(), name: auth.name },
      spec: triggerAuthenticationSpec(auth),
    });
  }
}

function intOrString(value: number | string): k8s.IntOrString {
  return typeof value === 'number' ? k8s.IntOrString.fromNumber(value) : k8s.IntOrString.fromString(value);
}
