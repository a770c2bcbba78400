import type { z } from 'zod';
import { CONSTRUCT_ONLY_PROPS, workloadPropsSchema } from '../../lib/core/schema';
import { type WorkloadProps } from '../../lib';

// Checked by `npm run typecheck` (part of `npm test`): the schema that checks
// a workload file and the props the constructs take describe the same keys
// and types at every depth, so neither can drift from the other, apart from the props
// of the constructs only (CONSTRUCT_ONLY_PROPS: `validation`, which a file cannot set).
type DeepMutable<T> = T extends readonly (infer U)[] ? DeepMutable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
export const schemaMatchesProps: Equal<DeepMutable<Omit<WorkloadProps, keyof typeof CONSTRUCT_ONLY_PROPS>>, DeepMutable<z.output<typeof workloadPropsSchema>>> = true;

describe('workloadPropsSchema', () => {
  test('accepts a complete workload', () => {
    const result = workloadPropsSchema.safeParse({
      name: 'x',
      image: 'x:1',
      port: 80,
      autoscaling: { minReplicas: 1, maxReplicas: 2, behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } },
      labels: { 'example.com/team': 'risk' },
    });
    expect(result.success).toBe(true);
  });
});
