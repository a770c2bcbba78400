import * as path from 'node:path';
import * as ts from 'typescript';
import * as library from '../../lib';

/**
 * Every name the package exports, values and types. Adding one to lib/index.ts is a
 * decision about the public API: add it here too, in the same change.
 */
const PUBLIC_API = [
  // The constructs and their props.
  'ModelServing', 'ModelServingProps', 'MlPipeline', 'MlPipelineProps', 'Workload', 'WorkloadProps',
  'AutoscalingBehavior', 'AutoscalingOptions', 'CronOptions', 'DisruptionBudgetOptions', 'EgressPeer', 'EnvValue', 'GpuOptions',
  'JobOptions', 'KedaFallback', 'KedaTrigger', 'KedaTriggerType', 'KeySelector', 'MetricIdentifier', 'MetricSpec', 'MetricTarget',
  'MetricsOptions', 'ModelOptions', 'NetworkPeer', 'NetworkPolicyOptions', 'PipelineMode', 'PodFailurePolicyRule', 'PolicyException',
  'PolicyOptions', 'PortProtocol', 'ProbeOptions', 'Quantity', 'ResourceRequirements', 'RolloutOptions', 'ScalingPolicy', 'ScalingRules',
  'SecurityOptions', 'ServiceAccountOptions', 'ServiceOptions', 'ServiceType', 'SimulationOptions', 'TopologySpreadOptions', 'TriggerSecretAuthentication',
  // The objects a construct exposes.
  'KubeObject', 'ObjectMeta', 'ResolvedWorkload', 'ScaledJobObject',
  // Errors.
  'WorkloadPropsError', 'PropIssue', 'PropPath',
  // Metric presets.
  'METRIC_PRESET_NAMES', 'MetricPreset', 'MetricPresetName',
  // Validation.
  'Finding', 'K8sObject', 'Manifest', 'PodTemplateEntry', 'Rule', 'RunIndex', 'RULES', 'IGNORE_ANNOTATION_PREFIX',
  'validateManifests', 'formatReport', 'formatViolation', 'Suppression', 'UnusedSuppression', 'ValidationResult', 'Violation',
];

/** The names lib/index.ts exports, types included, as the TypeScript compiler sees them. */
function exportedNames(): string[] {
  const index = path.resolve(__dirname, '../../lib/index.ts');
  const program = ts.createProgram([index], { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  return checker.getExportsOfModule(module).map((symbol) => symbol.getName());
}

test('the package exports exactly the listed public API, types included', () => {
  expect(exportedNames().sort()).toEqual([...PUBLIC_API].sort());
});

test('the app internals are not exported', () => {
  const names = new Set(exportedNames());
  for (const internal of ['emitYaml', 'parseSimpleYaml', 'runSynth', 'runValidate', 'merge', 'compareStrings', 'resolveWorkload', 'findYamlFiles', 'switchOutput', 'podTemplate']) {
    expect(names.has(internal)).toBe(false);
  }
});

test('every listed value is there at run time', () => {
  const values = Object.keys(library).sort();
  expect(values).toEqual(PUBLIC_API.filter((name) => name in library).sort());
  expect(values).toEqual(['IGNORE_ANNOTATION_PREFIX', 'KubeObject', 'METRIC_PRESET_NAMES', 'MlPipeline', 'ModelServing', 'RULES', 'Workload', 'WorkloadPropsError', 'formatReport', 'formatViolation', 'validateManifests']);
});
