import { k8s } from 'cdk8s-plus-28';
import type { ResolvedAutoscaling } from '../workload/resolve';

/** The `autoscaling/v2` HPA spec that scales the Deployment `deploymentName`. */
export function horizontalPodAutoscalerSpec(deploymentName: string, autoscaling: ResolvedAutoscaling): k8s.HorizontalPodAutoscalerSpecV2 {
  return {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName },
    minReplicas: autoscaling.minReplicas,
    maxReplicas: autoscaling.maxReplicas,
    metrics: [{
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.targetCPUUtilizationPercentage } },
    }],
    behavior: {
      scaleUp: { ...autoscaling.behavior.scaleUp, policies: autoscaling.behavior.scaleUp.policies.map((p) => ({ ...p })) },
      scaleDown: { ...autoscaling.behavior.scaleDown, policies: autoscaling.behavior.scaleDown.policies.map((p) => ({ ...p })) },
    },
  };
}
