import { MlPipeline, type MlPipelineProps } from '../../lib';
import { container, only, synthConstruct, testChart } from '../helpers';

const requiredProps: MlPipelineProps = { name: 'feature-extractor', image: 'registry.example.com/ml/feature-extractor:2.0.1' };

function synth(props: Partial<MlPipelineProps> = {}) {
  return synthConstruct((scope, id, p: MlPipelineProps) => new MlPipeline(scope, id, p), { ...requiredProps, ...props });
}

function build(props: Partial<MlPipelineProps> = {}) {
  return new MlPipeline(testChart(), 'Workload', { ...requiredProps, ...props } as MlPipelineProps);
}

describe('MlPipeline', () => {
  test('default configuration', () => {
    expect(synth()).toMatchSnapshot();
  });

  test('a worker without a port is a Deployment and an HPA with its hardening, and no Service', () => {
    expect(synth().map((o) => o.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'ServiceAccount']);
  });

  test('a worker without a port has no probes and no preStop pause', () => {
    const c = container(synth());
    expect(c.ports).toBeUndefined();
    expect(c.readinessProbe).toBeUndefined();
    expect(c.startupProbe).toBeUndefined();
    expect(c.lifecycle).toBeUndefined();
  });

  test('exposes the objects it creates', () => {
    const pipeline = build();
    expect(pipeline.deployment?.kind).toBe('Deployment');
    expect(pipeline.service).toBeUndefined();
    expect(pipeline.autoscaler?.kind).toBe('HorizontalPodAutoscaler');
  });

  test('a port adds a Service, probes and a preStop pause', () => {
    const objects = synth({ port: 9090 });
    expect(only(objects, 'Service').spec.ports[0]).toMatchObject({ port: 9090, targetPort: 'http' });
    expect(container(objects).readinessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(container(objects).lifecycle.preStop.exec.command).toEqual(['sleep', '10']);
  });

  test('preStopSleepSeconds adds a pause even without a Service', () => {
    expect(container(synth({ preStopSleepSeconds: 5 })).lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
  });

  test('default requests are smaller than a model server\'s', () => {
    expect(container(synth()).resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '512Mi' } });
  });

  test('cpu 500m to 1000m, autoscaled from 1 to 10 at 80% CPU', () => {
    const objects = synth({
      resources: { requests: { cpu: '500m' }, limits: { cpu: '1000m' } },
      autoscaling: { minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 80 },
    });
    expect(container(objects).resources).toMatchObject({ requests: { cpu: '500m' }, limits: { cpu: '1000m' } });
    expect(only(objects, 'Deployment').spec).not.toHaveProperty('replicas');
    expect(only(objects, 'HorizontalPodAutoscaler').spec).toMatchObject({
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
  });

  test('uses Kubernetes\' rolling update', () => {
    expect(only(synth(), 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: '25%' });
  });

  test('is labelled as a pipeline worker', () => {
    expect(only(synth(), 'Deployment').metadata.labels?.['app.kubernetes.io/component']).toBe('pipeline-worker');
  });

  test('fails when a Service is asked for without a port', () => {
    expect(() => build({ service: { type: 'ClusterIP' } })).toThrow("service: 'service' needs a container port; set 'port' or remove 'service'");
  });

  test('fails when probes are asked for without a port', () => {
    expect(() => build({ probes: { path: '/healthz' } })).toThrow("probes: 'probes' needs a container port; set 'port' or remove 'probes'");
  });
});
