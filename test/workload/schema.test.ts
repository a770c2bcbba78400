import type { z } from 'zod';
import { workloadPropsSchema, type WorkloadProps } from '../../lib';

// Compile-time: the schema that checks a workload file and the props the
// constructs take must describe the same keys, so neither can drift.
type SchemaKeys = keyof z.output<typeof workloadPropsSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameKeys: Same<SchemaKeys, keyof WorkloadProps> = true;
const parsedIsProps: z.output<typeof workloadPropsSchema> extends WorkloadProps ? true : false = true;

describe('workloadPropsSchema', () => {
  test('describes exactly the WorkloadProps keys', () => {
    expect(sameKeys && parsedIsProps).toBe(true);
  });

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
