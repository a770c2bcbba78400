import { merge, workloadInEnvironment } from '../../../app/config/environment-overlay';
import { parseEnvironmentsFile } from '../../../app/config/environments-file';
import { parseWorkloadFile } from '../../../app/config/workload-file';

const ENVIRONMENTS = `environments:
  dev:
    namespace: ml-dev
    defaults:
      labels: { tier: dev }
      autoscaling: { maxReplicas: 5 }
      job: { backoffLimit: 1 }
    overrides:
      topologySpread: false
  prod:
    overrides:
      autoscaling: { maxReplicas: 40 }
`;

const WORKLOAD = `kind: ModelServing
name: fraud
namespace: ml-serving
image: r.example.com/fraud:1
labels: { team: fraud }
autoscaling: { minReplicas: 2, maxReplicas: 10 }
env: { A: "1", B: "2" }
environments:
  prod:
    autoscaling: { maxReplicas: 60 }
    env: { B: null, C: "3" }
`;

const environments = parseEnvironmentsFile('environments.yaml', ENVIRONMENTS).config!;
const document = parseWorkloadFile('workloads/fraud.yaml', WORKLOAD).documents[0];
const inEnvironment = (name: string, doc = document) => workloadInEnvironment(doc, environments.environments.find((e) => e.name === name)!, environments, true);

describe('environment overlay', () => {
  test('merge: mappings merge key by key, lists and values replace, null removes', () => {
    expect(merge({ a: { x: 1, y: 2 }, l: [1, 2], v: 1, gone: true }, { a: { y: 3 }, l: [3], v: 2, gone: null })).toEqual({ a: { x: 1, y: 3 }, l: [3], v: 2 });
  });

  test("an environment's defaults sit under the workload file's keys", () => {
    const { data } = inEnvironment('dev');
    expect(data.labels).toEqual({ tier: 'dev', team: 'fraud' });
    expect(data.autoscaling).toEqual({ minReplicas: 2, maxReplicas: 10 });
  });

  test("an environment's overrides sit over the workload file, and its own override over both", () => {
    expect(inEnvironment('dev').data.topologySpread).toBe(false);
    expect(inEnvironment('prod').data.autoscaling).toEqual({ minReplicas: 2, maxReplicas: 60 });
    expect(inEnvironment('prod').data.env).toEqual({ A: '1', C: '3' });
  });

  test("the environment's namespace replaces the workload's; no namespace keeps it", () => {
    expect(inEnvironment('dev').data.namespace).toBe('ml-dev');
    expect(inEnvironment('prod').data.namespace).toBe('ml-serving');
  });

  test('a null with nothing under it to remove is dropped, at any depth and in any layer', () => {
    expect(merge({}, { a: { b: null, c: 1 }, d: null })).toEqual({ a: { c: 1 } });
    const envs = parseEnvironmentsFile('environments.yaml', 'environments:\n  dev:\n    defaults: { labels: null }\n    overrides: { autoscaling: { targetMemoryUtilizationPercentage: null } }\n').config!;
    const { data } = workloadInEnvironment(document, envs.environments[0], envs, true);
    expect(data.labels).toEqual({ team: 'fraud' });
    expect(data.autoscaling).toEqual({ minReplicas: 2, maxReplicas: 10 });
  });

  test("a workload's override that removes its replica count lets the environment's autoscaling apply", () => {
    const fixed = parseWorkloadFile('w.yaml', 'kind: ModelServing\nname: a\nimage: r/a:1\nreplicas: 2\nenvironments:\n  prod:\n    replicas: null\n').documents[0];
    expect(inEnvironment('prod', fixed).data).toMatchObject({ autoscaling: { maxReplicas: 40 } });
    expect(inEnvironment('prod', fixed).data).not.toHaveProperty('replicas');
    expect(inEnvironment('dev', fixed).data).not.toHaveProperty('autoscaling');
  });

  test('the environments key itself is not a workload key', () => {
    expect(inEnvironment('prod').data).not.toHaveProperty('environments');
  });

  test('environment keys a workload cannot take are left out for it', () => {
    const cron = parseWorkloadFile('w.yaml', 'kind: MlPipeline\nname: nightly\nimage: r/t:1\nmode: cronjob\ncron: { schedule: "@daily" }\n').documents[0];
    const { data } = workloadInEnvironment(cron, environments.environments[0], environments, false);
    expect(data).not.toHaveProperty('autoscaling');
    expect(data).not.toHaveProperty('topologySpread');
    expect(data.job).toEqual({ backoffLimit: 1 });
  });

  test('locates a value in the layer that wrote it', () => {
    const dev = inEnvironment('dev');
    const prod = inEnvironment('prod');
    expect(prod.locate(['autoscaling', 'maxReplicas'])).toEqual({ file: 'workloads/fraud.yaml', line: 10, path: ['environments', 'prod', 'autoscaling', 'maxReplicas'] });
    expect(prod.locate(['autoscaling', 'minReplicas'])).toEqual({ file: 'workloads/fraud.yaml', line: 6, path: ['autoscaling', 'minReplicas'] });
    expect(dev.locate(['labels', 'tier'])).toEqual({ file: 'environments.yaml', line: 5, path: ['environments', 'dev', 'defaults', 'labels', 'tier'] });
    expect(dev.locate(['topologySpread'])).toEqual({ file: 'environments.yaml', line: 9, path: ['environments', 'dev', 'overrides', 'topologySpread'] });
    expect(dev.locate(['namespace'])).toEqual({ file: 'environments.yaml', line: 3, path: ['environments', 'dev', 'namespace'] });
    // A key nobody wrote (a required one that is missing) is the workload file's.
    expect(dev.locate(['port'])).toEqual({ file: 'workloads/fraud.yaml', line: 1, path: ['port'] });
  });
});

describe('environment variables in overrides', () => {
  test('keep a number\'s text as written, as in the workload file itself', () => {
    const doc = parseWorkloadFile('w.yaml', 'kind: ModelServing\nname: a\nimage: r/a:1\nenv: { V: 1.10 }\nenvironments:\n  prod:\n    env: { V: 1.20, N: 007 }\n').documents[0];
    expect(doc.data.env).toEqual({ V: '1.10' });
    expect(inEnvironment('prod', doc).data.env).toEqual({ V: '1.20', N: '007' });
  });

  test('keep their text in an environment\'s defaults and overrides', () => {
    const env = parseEnvironmentsFile('environments.yaml', 'environments:\n  dev:\n    defaults: { env: { A: 1.10 } }\n    overrides: { env: { B: 2.50 } }\n').config!.environments[0];
    expect(env.defaults).toEqual({ env: { A: '1.10' } });
    expect(env.overrides).toEqual({ env: { B: '2.50' } });
  });
});
