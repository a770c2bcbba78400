import { KIND_ORDER } from '../../app/synth/render-manifests';
import { SYNC_WAVE_ANNOTATION, syncWaveAnnotation } from '../../lib/gitops/sync-waves';

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
