import type { Construct } from 'constructs';
import type { WorkloadProfile } from '../core/profile';
import { Workload } from '../workload/workload';
import type { WorkloadProps } from '../core/workload-props';

/** Props of an MlPipeline workload. */
export interface MlPipelineProps extends WorkloadProps {
  /** Port the worker listens on. @default - none: no Service and no probes */
  readonly port?: number;
}

/** Defaults of a pipeline worker: no port unless given; Kubernetes' rolling update. */
export const ML_PIPELINE_PROFILE: WorkloadProfile = {
  kind: 'MlPipeline',
  component: 'pipeline-worker',
  containerName: 'worker',
  defaultRequests: { cpu: '250m', memory: '512Mi' },
  maxUnavailable: '25%',
  batchModes: true,
};

/**
 * A pipeline stage (queue or batch worker): an autoscaled Deployment and its
 * HorizontalPodAutoscaler, plus a Service only when it exposes a port.
 */
export class MlPipeline extends Workload {
  constructor(scope: Construct, id: string, props: MlPipelineProps) {
    super(scope, id, props, ML_PIPELINE_PROFILE);
  }
}
