import { k8s } from 'cdk8s-plus-28';
import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { horizontalPodAutoscalerSpec } from '../autoscaling/horizontal-pod-autoscaler';
import { podTemplate, portName } from '../pod/pod-template';
import { type ResolvedAutoscaling, resolveWorkload, type ResolvedWorkload, type WorkloadProfile } from './resolve';
import type { WorkloadProps } from './workload-props';

/**
 * A Deployment, a Service when the workload has a port, and an HPA unless the
 * replica count is fixed. ModelServing and MlPipeline are this with their own
 * defaults.
 */
export abstract class Workload extends Construct {
  /** The props with every default resolved. */
  public readonly config: ResolvedWorkload;
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service, when the workload has a port. */
  public readonly service?: k8s.KubeService;
  /** The HorizontalPodAutoscaler, unless `replicas` fixes the replica count. */
  public readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;

  protected constructor(scope: Construct, id: string, props: WorkloadProps, profile: WorkloadProfile) {
    const config = resolveWorkload(props, profile);
    super(scope, id);
    this.config = config;
    this.deployment = this.createDeployment();
    this.service = config.service && this.createService(config.service);
    this.autoscaler = config.autoscaling && this.createAutoscaler(config.autoscaling);
  }

  /** The Kubernetes objects this workload created, Deployment first. */
  public get objects(): ApiObject[] {
    return [this.deployment, this.service, this.autoscaler].filter((o): o is NonNullable<typeof o> => o !== undefined);
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
          rollingUpdate: {
            maxSurge: k8s.IntOrString.fromString('25%'),
            maxUnavailable: typeof config.profile.maxUnavailable === 'number'
              ? k8s.IntOrString.fromNumber(config.profile.maxUnavailable)
              : k8s.IntOrString.fromString(config.profile.maxUnavailable),
          },
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

  private createAutoscaler(autoscaling: ResolvedAutoscaling): k8s.KubeHorizontalPodAutoscalerV2 {
    return new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
      metadata: this.metadata(),
      spec: horizontalPodAutoscalerSpec(this.config.name, autoscaling),
    });
  }
}
