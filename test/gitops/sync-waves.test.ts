import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KIND_ORDER } from '../../app/synth/apply-order';
import { SYNC_OPTIONS_ANNOTATION, SYNC_WAVE_ANNOTATION, syncWaveAnnotation } from '../../lib/gitops/sync-waves';
import { filesBelow, useTempProject } from '../helpers';

const wave = (kind: string) => Number(syncWaveAnnotation(kind)[SYNC_WAVE_ANNOTATION] ?? 0);

describe('sync waves', () => {
  test('what a workload needs comes before it, what scales or watches it after', () => {
    expect(['Namespace', 'ServiceAccount', 'NetworkPolicy', 'TriggerAuthentication'].map(wave)).toEqual([-2, -1, -1, -1]);
    expect(['Deployment', 'Service', 'Job', 'CronJob', 'ScaledJob'].map(wave)).toEqual([0, 0, 0, 0, 0]);
    expect(['HorizontalPodAutoscaler', 'ScaledObject', 'PodDisruptionBudget', 'ServiceMonitor', 'PodMonitor'].map(wave)).toEqual([1, 1, 1, 1, 1]);
  });

  test('the workload itself carries no annotation', () => {
    expect(syncWaveAnnotation('Deployment')).toEqual({});
  });

  test('the order of objects in a file agrees with the waves', () => {
    const waves = KIND_ORDER.map(wave);
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
  });
});

describe('objects whose CRD another Application installs', () => {
  const project = useTempProject('cdk8s-ml-waves-');
  const REPO = path.resolve(__dirname, '../..');

  test('skip the dry run while their kind is missing; built-in kinds do not', () => {
    for (const file of fs.readdirSync(path.join(REPO, 'workloads'))) project.write(`workloads/${file}`, fs.readFileSync(path.join(REPO, 'workloads', file), 'utf8'));
    // A queue-job: the examples have no ScaledJob.
    project.write('workloads/batch-embedder.yaml', [
      'kind: MlPipeline', 'name: batch-embedder', 'namespace: ml-pipelines', 'image: registry.example.com/ml/embedding-worker:3.2.0', 'mode: queue-job',
      'autoscaling:', '  maxReplicas: 5', '  triggers:', '    - type: rabbitmq', '      metadata: { queueName: embedding-batches, mode: QueueLength, value: "1" }',
      '      authentication: { secret: rabbitmq-conn, parameters: { host: uri } }', '',
    ].join('\n'));
    project.write('environments.yaml', fs.readFileSync(path.join(REPO, 'environments.yaml'), 'utf8'));
    expect(project.synth().code).toBe(0);
    const objects = filesBelow(path.join(project.root, 'dist')).filter((f) => f.endsWith('.k8s.yaml') && !f.startsWith('argocd/'))
      .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(project.root, 'dist', f), 'utf8')).map((d) => d.toJS()));
    const builtIn = (o: any) => !String(o.apiVersion).includes('.') || String(o.apiVersion).includes('.k8s.io/');
    const late = objects.filter((o) => !builtIn(o));
    expect(new Set(late.map((o) => o.kind))).toEqual(new Set(['TriggerAuthentication', 'ScaledObject', 'ScaledJob', 'ServiceMonitor', 'PodMonitor']));
    for (const o of late) expect(o.metadata.annotations[SYNC_OPTIONS_ANNOTATION]).toBe('SkipDryRunOnMissingResource=true');
    for (const o of objects.filter(builtIn)) expect(o.metadata.annotations?.[SYNC_OPTIONS_ANNOTATION] ?? '').not.toContain('SkipDryRunOnMissingResource');
  });
});
