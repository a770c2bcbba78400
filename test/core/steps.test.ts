import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { PropIssue } from '../../lib/core/errors';
import { WorkloadPropsError } from '../../lib/core/errors';
import { type Step, step, StepRunner } from '../../lib/core/steps';
import type { WorkloadProps } from '../../lib/core/workload-props';
import { ML_PIPELINE_PROFILE } from '../../lib/pipeline/ml-pipeline';
import { MODEL_SERVING_PROFILE } from '../../lib/serving/model-serving';
import { resolveWorkload } from '../../lib/workload/resolve';

const profile = MODEL_SERVING_PROFILE;
const context = () => ({ profile, issues: [] as PropIssue[] });

describe('StepRunner', () => {
  const seen: string[] = [];
  const mode = step(['mode'], (props) => props.mode ?? 'worker');
  const port = step(['port'], (props, _c, m: string) => {
    seen.push(`port after ${m}`);
    return props.port ?? 8080;
  });
  const gpus = step(['gpu'], (props, { issues }) => {
    if (props.gpu?.count === 0) issues.push({ path: ['gpu'], message: 'none' });
    return props.gpu?.count;
  });
  beforeEach(() => seen.splice(0));

  test('runs every step when no prop failed, passing what earlier steps resolved', () => {
    const runner = new StepRunner({ name: 'a', image: 'a:1', port: 9000 }, context());
    expect(runner.run(port, runner.run(mode)).value).toBe(9000);
    expect(seen).toEqual(['port after worker']);
  });

  test('skips a step that reads a failed prop, and every step that takes what it resolved', () => {
    const c = context();
    const runner = new StepRunner({ name: 'a', image: 'a:1', mode: 'nonsense', gpu: { count: 0 } } as never, c, new Set(['mode']));
    const m = runner.run(mode);
    expect(m.value).toBeUndefined();
    expect(runner.run(port, m).value).toBeUndefined();
    expect(seen).toEqual([]);
    // A step that depends on no failed prop still runs and reports.
    runner.run(gpus);
    expect(c.issues).toEqual([{ path: ['gpu'], message: 'none' }]);
  });

  test('skips a step whose own prop failed, though its inputs did not', () => {
    const runner = new StepRunner({ name: 'a', image: 'a:1', port: 'x' } as never, context(), new Set(['port']));
    expect(runner.run(port, runner.run(mode)).value).toBeUndefined();
    expect(seen).toEqual([]);
  });
});

describe('resolveWorkload with props that fail the schema', () => {
  const fails = (props: object, p = profile) => {
    try {
      resolveWorkload(props as WorkloadProps, p);
    } catch (e) {
      return (e as WorkloadPropsError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    }
    throw new Error('resolved');
  };

  test('still reports the rules that relate props which passed it', () => {
    const issues = fails({ name: 'a', image: 'a:1', port: 0, gpu: { count: 1 }, resources: { limits: { 'nvidia.com/gpu': 2 } } });
    expect(issues).toEqual([expect.stringMatching(/^port: /), expect.stringMatching(/^gpu\.count: 'gpu\.count' \(1\) and resources 'nvidia\.com\/gpu' \(2\) disagree/)]);
  });

  test('reports no rule that reads a failed prop, directly or through what it resolved', () => {
    // The shutdown rule reads both times; the Service's is one of its inputs.
    expect(fails({ name: 'a', image: 'a:1', preStopSleepSeconds: -1, terminationGracePeriodSeconds: 5 })).toEqual([expect.stringMatching(/^preStopSleepSeconds: /)]);
    expect(fails({ name: 'a', image: 'a:1', service: { type: 'Nope' }, terminationGracePeriodSeconds: 5 })).toEqual([expect.stringMatching(/^service\.type: /)]);
  });

  test('puts no stand-in where a required prop is missing', () => {
    // The mode's rules read the name (a CronJob's is shorter): without one they wait for the next run.
    expect(fails({ image: 'a:1', mode: 'cronjob', port: 8080 }, ML_PIPELINE_PROFILE)).toEqual([expect.stringMatching(/^name: /)]);
    expect(fails({ name: 'a', image: 'a:1', mode: 'cronjob', port: 8080 }, ML_PIPELINE_PROFILE)).toEqual([
      "mode: mode cronjob needs 'cron: { schedule }', e.g. schedule: '0 2 * * *'",
      "port: a cronjob runs to completion and serves nothing; remove 'port' or use mode worker",
    ]);
    expect(fails({ image: 'a:1', labels: { 'app.kubernetes.io/name': 'x' } })).toEqual([expect.stringMatching(/^name: /), expect.stringMatching(/^labels\.app\.kubernetes\.io\/name: .* is set by cdk8s-ml/)]);
  });

  test('reports only the schema\'s problems for props that are not an object', () => {
    expect(fails([])).toEqual([expect.stringMatching(/^: /)]);
  });
});

// Every step of the library: every module of lib/ that declares one (`= step(`), found by reading them.
const libDir = path.join(__dirname, '../../lib');
const STEP_MODULES: Record<string, unknown> = Object.fromEntries(fs.readdirSync(libDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && /= step\(/.test(fs.readFileSync(path.join(libDir, file), 'utf8')))
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the modules are found at run time
  .map((file) => [file.replace(/\.ts$/, ''), require(path.join(libDir, file))]));

type AnyStep = Step<keyof WorkloadProps, unknown[], unknown>;

function allSteps(): [string, AnyStep][] {
  return Object.entries(STEP_MODULES).flatMap(([module, exports]) => Object.entries(exports as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'object' && v !== null && 'reads' in v && 'run' in v)
    .map(([name, v]): [string, AnyStep] => [`${module}.${name}`, v as AnyStep]));
}

/** Props of every kind of workload: the examples, and props that take every branch of the rules. */
function corpus(): { props: WorkloadProps; profile: typeof profile }[] {
  const dir = path.join(__dirname, '../../workloads');
  const examples = fs.readdirSync(dir).flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as { kind: string } & WorkloadProps));
  const base = { name: 'w', image: 'r.example.com/w:1', namespace: 'ml' };
  const more: WorkloadProps[] = [
    { ...base, gpu: { count: 1, shmSize: '8Gi' }, resources: { limits: { memory: '4Gi' } }, model: { uri: 'hf://org/m' }, writablePaths: ['/models', '/cache'], preStopSleepSeconds: 90 },
    { ...base, protocol: 'grpc', probes: { path: '/h' }, metrics: { port: 8080 }, service: { type: 'ClusterIP', nodePort: 30000 }, replicas: 2, autoscaling: { minReplicas: 1 } },
    { ...base, autoscaling: { minReplicas: 0, maxReplicas: 0, presets: [{ name: 'vllm-queue-length', target: 5 }], triggers: [{ type: 'kafka', metadata: { lagThreshold: 'x' }, authentication: { secret: 's', parameters: {} } }], metrics: [] } },
    { ...base, autoscaling: { engine: 'hpa', minReplicas: 0, triggers: [], cooldownPeriodSeconds: 1, metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'x', target: { type: 'Utilization', averageUtilization: 5 } } }] } },
    { ...base, serviceAccountName: 'sa', serviceAccount: {}, disruptionBudget: { minAvailable: '100%', maxUnavailable: 1 }, topologySpread: { topologyKeys: ['a', 'a'] }, networkPolicy: { ingressFrom: [] }, rollout: { maxSurge: 0, maxUnavailable: 0 }, labels: { 'app.kubernetes.io/name': 'x' } },
    { ...base, mode: 'cronjob', port: 1, job: { completionMode: 'Indexed' }, disruptionBudget: {}, topologySpread: {}, replicas: 1 } as WorkloadProps,
    { ...base, mode: 'queue-job', autoscaling: { engine: 'hpa', presets: [{ name: 'requests-per-second', target: 5 }], triggers: [{ type: 'cpu', metadata: { value: '5' } }] }, cron: { schedule: '* * * * *' } } as unknown as WorkloadProps,
    { ...base, mode: 'job', job: { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'nope', operator: 'In', values: [1] } }] } } } as WorkloadProps,
  ];
  return [
    ...examples.map(({ kind, ...props }) => ({ props, profile: kind === 'MlPipeline' ? ML_PIPELINE_PROFILE : MODEL_SERVING_PROFILE })),
    ...more.flatMap((props) => [{ props, profile: MODEL_SERVING_PROFILE }, { props, profile: ML_PIPELINE_PROFILE }]),
  ];
}

test('every step reads only the props it declares', () => {
  const steps = allSteps();
  expect(steps.length).toBeGreaterThanOrEqual(22);
  expect(steps.map(([name]) => name)).toContain('simulation/resolve-simulation.simulationStep');
  const undeclared = new Set<string>();
  const originals = steps.map(([name, s]) => {
    const run = s.run;
    const declared = new Set<PropertyKey>(s.reads);
    const watch = (props: Pick<WorkloadProps, keyof WorkloadProps>) => new Proxy(props, {
      get: (target, key, receiver) => {
        if (!declared.has(key)) undeclared.add(`${name} reads '${String(key)}'`);
        return Reflect.get(target, key, receiver);
      },
      has: (target, key) => {
        if (!declared.has(key)) undeclared.add(`${name} asks for '${String(key)}'`);
        return Reflect.has(target, key);
      },
      ownKeys: (target) => {
        undeclared.add(`${name} lists every prop`);
        return Reflect.ownKeys(target);
      },
    });
    (s as { run: typeof run }).run = (props, ...rest) => run(watch(props), ...rest);
    return () => ((s as { run: typeof run }).run = run);
  });
  try {
    let ran = 0;
    for (const { props, profile: p } of corpus()) {
      try {
        resolveWorkload(props, p);
      } catch (e) {
        if (!(e instanceof WorkloadPropsError)) throw e;
      }
      ran++;
    }
    expect(ran).toBeGreaterThan(20);
  } finally {
    for (const restore of originals) restore();
  }
  expect([...undeclared]).toEqual([]);
});
