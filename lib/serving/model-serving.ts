import type { Construct } from 'constructs';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IService } from 'kubernetes-models/v1/Service';
import type { KubeObject } from '../kube/kube-object';
import type { WorkloadProfile } from '../core/profile';
import { Workload } from '../workload/workload';
import type { WorkloadProps } from '../core/workload-props';

/** Props of a ModelServing workload. */
export interface ModelServingProps extends WorkloadProps {
  /** Port the model server listens on. @default 8080 */
  readonly port?: number;
}

/** Defaults of a model server: always a port and a Service; no capacity dip during a rollout. */
export const MODEL_SERVING_PROFILE: WorkloadProfile = {
  kind: 'ModelServing',
  component: 'model-server',
  containerName: 'model-server',
  defaultPort: 8080,
  defaultRequests: { cpu: '500m', memory: '1Gi' },
  maxUnavailable: 0,
  batchModes: false,
};

/**
 * An HTTP or gRPC model server: a Deployment, a Service in front of it and an
 * `autoscaling/v2` HorizontalPodAutoscaler, with probes that survive a slow
 * model load, graceful shutdown and Pod Security "restricted".
 */
export class ModelServing extends Workload {
  /** The model server's Deployment. */
  declare public readonly deployment: KubeObject<IDeployment>;
  /** The Service in front of the model server. */
  declare public readonly service: KubeObject<IService>;

  constructor(scope: Construct, id: string, props: ModelServingProps) {
    super(scope, id, props, MODEL_SERVING_PROFILE);
  }
}
