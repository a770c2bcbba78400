// The public API of the cdk8s-ml construct library, exported by name: growing it is a
// decision, checked by test/library/public-api.test.ts. What the workload-file app needs
// and a user does not (file readers, the YAML writer, the synth runner) lives in app/.

// The constructs and their props.
export { ModelServing, type ModelServingProps } from './serving/model-serving';
export { MlPipeline, type MlPipelineProps } from './pipeline/ml-pipeline';
export { Workload } from './workload/workload';
// What a construct's `config` holds (every default resolved), and its ScaledJob's type.
export type { ResolvedWorkload } from './workload/resolve';
export type { ScaledJobObject } from './pipeline/job';
export type {
  AutoscalingBehavior, AutoscalingOptions, CronOptions, DisruptionBudgetOptions, EgressPeer, EnvValue, GpuOptions,
  JobOptions, KedaFallback, KedaTrigger, KedaTriggerType, KeySelector, MetricIdentifier, MetricSpec, MetricTarget,
  MetricsOptions, ModelOptions, NetworkPeer, NetworkPolicyOptions, PipelineMode, PodFailurePolicyRule, PolicyException,
  PolicyOptions, PortProtocol, ProbeOptions, Quantity, ResourceRequirements, RolloutOptions, ScalingPolicy, ScalingRules,
  SecurityOptions, ServiceAccountOptions, ServiceOptions, ServiceType, SimulationOptions, TopologySpreadOptions,
  TriggerSecretAuthentication, WorkloadProps,
} from './core/workload-props';

// The objects a construct exposes (Deployment, Service, autoscaler, ...), for escape hatches.
export { KubeObject, type ObjectMeta } from './kube/kube-object';

// The errors a user catches.
export { WorkloadPropsError, type PropIssue, type PropPath } from './core/errors';

// The metric presets.
export { METRIC_PRESET_NAMES, type MetricPreset, type MetricPresetName } from './core/workload-props';

// Validation of any Kubernetes objects with the schema and policy checks synth applies.
export type { Finding, K8sObject, Manifest } from './validation/manifest';
export type { PodTemplateEntry, Rule, RunIndex } from './validation/rule';
export { RULES } from './validation/rules';
export { IGNORE_ANNOTATION_PREFIX } from './validation/rules/suppression';
export {
  formatReport, formatViolation, validateManifests,
  type Suppression, type UnusedSuppression, type ValidationResult, type Violation,
} from './validation/validate-manifests';
