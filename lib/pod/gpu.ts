import { quantityString, quantityValue } from '../core/quantity';
import { step } from '../core/steps';

/** The extended resource of NVIDIA GPUs. */
export const GPU_RESOURCE = 'nvidia.com/gpu';

/** GPU settings with the count resolved from `gpu` or `resources.limits`. */
export interface ResolvedGpu {
  readonly count: number;
  readonly product?: string;
  readonly runtimeClassName?: string;
  readonly shmSize?: string;
}

/** The GPUs, from `gpu` or `resources.limits`; undefined without any. */
export const gpuStep = step(['gpu', 'resources'], (props, { issues }): ResolvedGpu | undefined => {
  const fromLimits = props.resources?.limits?.[GPU_RESOURCE] ?? props.resources?.requests?.[GPU_RESOURCE];
  const limitCount = fromLimits === undefined ? undefined : quantityValue(fromLimits);
  if (props.gpu && limitCount !== undefined && limitCount !== props.gpu.count) {
    issues.push({ path: ['gpu', 'count'], message: `'gpu.count' (${props.gpu.count}) and resources '${GPU_RESOURCE}' (${quantityString(fromLimits!)}) disagree; give the count once, in 'gpu.count'` });
  }
  const count = props.gpu?.count ?? limitCount;
  if (count === undefined || count === 0) return undefined;
  return {
    count,
    product: props.gpu?.product,
    runtimeClassName: props.gpu?.runtimeClassName,
    shmSize: props.gpu?.shmSize === undefined ? undefined : quantityString(props.gpu.shmSize),
  };
});
