import type { AutoscalingBehavior, ScalingPolicy, ScalingRules } from '../core/workload-props';

/** Scaling rules with every field filled in, as the API server stores them. */
export interface ResolvedScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly ScalingPolicy[];
}

/** HPA behaviour with both directions filled in. */
export interface ResolvedBehavior {
  readonly scaleUp: ResolvedScalingRules;
  readonly scaleDown: ResolvedScalingRules;
}

// The API server's defaults (k8s.io/kubernetes pkg/apis/autoscaling/v2/defaults.go),
// written out so that the manifest says what the cluster will do, and what npm run
// simulate's HPA (lib/simulation) fills a behavior in with.
export const SCALE_UP_DEFAULTS: ResolvedScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Percent', value: 100, periodSeconds: 15 },
    { type: 'Pods', value: 4, periodSeconds: 15 },
  ],
};
export const SCALE_DOWN_DEFAULTS: ResolvedScalingRules = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

/** Fills in what `behavior` leaves out, field by field, the way the API server does. */
export function resolveBehavior(behavior: AutoscalingBehavior = {}): ResolvedBehavior {
  return {
    scaleUp: resolveRules(behavior.scaleUp, SCALE_UP_DEFAULTS),
    scaleDown: resolveRules(behavior.scaleDown, SCALE_DOWN_DEFAULTS),
  };
}

function resolveRules(rules: ScalingRules = {}, defaults: ResolvedScalingRules): ResolvedScalingRules {
  return {
    stabilizationWindowSeconds: rules.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: rules.selectPolicy ?? defaults.selectPolicy,
    policies: rules.policies ?? defaults.policies,
  };
}
