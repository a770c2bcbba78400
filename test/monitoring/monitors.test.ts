import { MlPipeline, ModelServing, type ModelServingProps } from '../../lib';
import { container, only, synthConstruct, testChart } from '../helpers';

const requiredProps: ModelServingProps = { name: 'fraud-detector', namespace: 'ml-serving', image: 'registry.example.com/ml/fraud:1.4.2' };

function synth(props: Partial<ModelServingProps> = {}) {
  return synthConstruct((s, id, p: ModelServingProps) => new ModelServing(s, id, p), { ...requiredProps, ...props });
}

function build(props: Partial<ModelServingProps>) {
  return new ModelServing(testChart(), 'Workload', { ...requiredProps, ...props } as ModelServingProps);
}

describe('metrics', () => {
  test('none without metrics', () => {
    expect(synth().some((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor')).toBe(false);
  });

  test('a port of their own becomes a container port, a Service port and a ServiceMonitor endpoint', () => {
    const objects = synth({ metrics: { port: 9090 } });
    expect(container(objects).ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }]);
    expect(only(objects, 'Service').spec.ports[1]).toEqual({ name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP', appProtocol: 'http' });
    const monitor = only(objects, 'ServiceMonitor');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.name).toBe('fraud-detector');
    expect(monitor.spec).toEqual({ selector: { matchLabels: { 'app.kubernetes.io/name': 'fraud-detector' } }, endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http' }] });
  });

  test('the ServiceMonitor selects the Service by its name label, which Argo CD label tracking leaves alone', () => {
    const objects = synth({ metrics: { port: 9090 } });
    const labels = only(objects, 'Service').metadata.labels!;
    expect(labels).toMatchObject(only(objects, 'ServiceMonitor').spec.selector.matchLabels);
    // Argo CD before 3.0 sets app.kubernetes.io/instance to the Application's name on what it applies.
    const tracked = { ...labels, 'app.kubernetes.io/instance': 'cdk8s-ml-prod' };
    expect(tracked).toMatchObject(only(objects, 'ServiceMonitor').spec.selector.matchLabels);
  });

  test('a metrics port of its own stays off a LoadBalancer or NodePort Service: a PodMonitor scrapes the pods', () => {
    const objects = synth({ service: { type: 'LoadBalancer' }, metrics: { port: 9090 } });
    expect(only(objects, 'Service').spec.ports.map((p: { name: string }) => p.name)).toEqual(['http']);
    expect(objects.some((o) => o.kind === 'ServiceMonitor')).toBe(false);
    expect(only(objects, 'PodMonitor').spec.podMetricsEndpoints[0].port).toBe('metrics');
  });

  test('metrics on the serving port are scraped there, with no extra port', () => {
    const objects = synth({ metrics: { port: 8080, path: '/stats', interval: '15s' } });
    expect(container(objects).ports).toHaveLength(1);
    expect(only(objects, 'Service').spec.ports).toHaveLength(1);
    expect(only(objects, 'ServiceMonitor').spec.endpoints).toEqual([{ port: 'http', path: '/stats', interval: '15s', scheme: 'http' }]);
  });

  test('labels go on the monitor, for a Prometheus that selects monitors by label', () => {
    expect(only(synth({ metrics: { port: 9090, labels: { release: 'kube-prometheus-stack' } } }), 'ServiceMonitor').metadata.labels)
      .toMatchObject({ release: 'kube-prometheus-stack', 'app.kubernetes.io/name': 'fraud-detector' });
  });

  test('a worker without a Service gets a PodMonitor on its metrics port', () => {
    const objects = synthConstruct((s, id, p) => new MlPipeline(s, id, p), { name: 'worker', image: 'w:1', metrics: { port: 9100 } });
    expect(objects.some((o) => o.kind === 'ServiceMonitor' || o.kind === 'Service')).toBe(false);
    expect(container(objects).ports).toEqual([{ name: 'metrics', containerPort: 9100, protocol: 'TCP' }]);
    expect(only(objects, 'PodMonitor').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'worker', 'app.kubernetes.io/instance': 'worker' } },
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http' }],
    });
  });

  test('a monitor skips Argo CD\'s dry run while its CRD is missing', () => {
    expect(only(synth({ metrics: { port: 9090 } }), 'ServiceMonitor').metadata.annotations!['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true');
  });

  test('monitors are applied after the workload (sync wave 1)', () => {
    expect(only(synth({ metrics: { port: 9090 } }), 'ServiceMonitor').metadata.annotations).toMatchObject({ 'argocd.argoproj.io/sync-wave': '1' });
  });

  test('fails when the metrics would be scraped over HTTP from a gRPC port', () => {
    expect(() => build({ protocol: 'grpc', metrics: { port: 8080 } })).toThrow(
      'metrics.port: Prometheus scrapes over HTTP, and port 8080 speaks gRPC; serve the metrics on a port of their own',
    );
  });

  test('a metrics port that only the pods have may equal a NodePort Service port', () => {
    expect(only(synth({ service: { type: 'NodePort', port: 9090 }, metrics: { port: 9090 } }), 'PodMonitor').spec.podMetricsEndpoints[0].port).toBe('metrics');
  });

  test('fails when the metrics port is the Service port of the serving port', () => {
    expect(() => build({ service: { port: 80 }, metrics: { port: 80 } })).toThrow(
      'metrics.port: the Service already listens on 80 for the serving port; serve the metrics on another port, or on the container port 8080',
    );
  });

  test('fails when the interval is not a Prometheus duration', () => {
    expect(() => build({ metrics: { port: 9090, interval: '30 seconds' } })).toThrow(
      "metrics.interval: '30 seconds' is not a Prometheus duration; write e.g. 15s, 1m or 1m30s",
    );
  });
});
