import type { Construct } from 'constructs';
import { ML_PIPELINE_PROFILE, MlPipeline, type MlPipelineProps } from '../../lib/pipeline/ml-pipeline';
import { MODEL_SERVING_PROFILE, ModelServing, type ModelServingProps } from '../../lib/serving/model-serving';
import { closestMatch } from '../../lib/core/suggest';
import type { Workload } from '../../lib/workload/workload';

type WorkloadFactory = (scope: Construct, id: string, props: unknown) => Workload;

/** The `kind`s a workload file may declare, and the construct each becomes. */
export const WORKLOAD_KINDS: Readonly<Record<string, WorkloadFactory>> = {
  // Props are checked by the construct itself, so the file's data goes in as it is.
  [MODEL_SERVING_PROFILE.kind]: (scope, id, props) => new ModelServing(scope, id, props as ModelServingProps),
  [ML_PIPELINE_PROFILE.kind]: (scope, id, props) => new MlPipeline(scope, id, props as MlPipelineProps),
};

/** Why `kind` is not a workload kind, or undefined when it is one. */
export function kindProblem(kind: unknown): string | undefined {
  const kinds = Object.keys(WORKLOAD_KINDS);
  if (kind === undefined) return `is required; set it to one of ${kinds.join(', ')}`;
  if (typeof kind === 'string' && Object.hasOwn(WORKLOAD_KINDS, kind)) return undefined;
  const hint = typeof kind === 'string' ? closestMatch(kind, kinds) : undefined;
  return `'${String(kind)}' is not a workload kind; use ${hint ? `'${hint}'` : `one of ${kinds.join(', ')}`}`;
}
