import { MlPipeline, ModelServing, type ModelServingProps } from '../../lib';
import { only, synthConstruct, testChart } from '../helpers';

const requiredProps: ModelServingProps = { name: 'fraud-detector', namespace: 'ml-serving', image: 'registry.example.com/ml/fraud:1.4.2' };
const SELECTOR = { matchLabels: { 'app.kubernetes.io/name': 'fraud-detector', 'app.kubernetes.io/instance': 'fraud-detector' } };

function policy(props: Partial<ModelServingProps> = {}) {
  return only(synthConstruct((s, id, p: ModelServingProps) => new ModelServing(s, id, p), { ...requiredProps, ...props }), 'NetworkPolicy');
}

function build(props: Partial<ModelServingProps>) {
  return new ModelServing(testChart(), 'Workload', { ...requiredProps, ...props } as ModelServingProps);
}

describe('NetworkPolicy', () => {
  test('by default admits the own namespace to the serving port only, and leaves egress open', () => {
    expect(policy().spec).toEqual({
      podSelector: SELECTOR,
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });

  test('is applied before the workload (sync wave -1), so pods never start unprotected', () => {
    expect(policy().metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
  });

  test('admits the namespaces and pods the workload names', () => {
    const from = policy({ networkPolicy: { ingressFrom: [
      { namespace: 'api-gateway' },
      { namespace: 'web', podLabels: { app: 'frontend' } },
      { namespaceLabels: { team: 'fraud' } },
      { podLabels: { role: 'client' } },
      { cidr: '10.20.0.0/16' },
    ] } }).spec.ingress[0].from;
    expect(from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'api-gateway' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } }, podSelector: { matchLabels: { app: 'frontend' } } },
      { namespaceSelector: { matchLabels: { team: 'fraud' } } },
      { podSelector: { matchLabels: { role: 'client' } } },
      { ipBlock: { cidr: '10.20.0.0/16' } },
    ]);
  });

  test('admits the monitoring namespace to a metrics port', () => {
    expect(policy({ metrics: { port: 9090 } }).spec.ingress[1]).toEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ port: 9090, protocol: 'TCP' }],
    });
    expect(policy({ metrics: { port: 9090 }, networkPolicy: { monitoringNamespace: 'observability' } }).spec.ingress[1].from)
      .toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }]);
  });

  test('a NodePort or LoadBalancer Service admits any source to the serving port', () => {
    expect(policy({ service: { type: 'LoadBalancer' } }).spec.ingress).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  test('a worker without a port admits nothing', () => {
    const objects = synthConstruct((s, id, p) => new MlPipeline(s, id, p), { name: 'worker', image: 'w:1' });
    expect(only(objects, 'NetworkPolicy').spec).toEqual({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'worker', 'app.kubernetes.io/instance': 'worker' } }, policyTypes: ['Ingress'] });
  });

  test('egressTo restricts egress to DNS and the named peers', () => {
    const spec = policy({ networkPolicy: { egressTo: [{ cidr: '0.0.0.0/0', ports: [443] }, { namespace: 'feature-store' }] } }).spec;
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.egress).toEqual([
      { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'feature-store' } } }] },
    ]);
  });

  test('false turns it off', () => {
    expect(synthConstruct((s, id, p: ModelServingProps) => new ModelServing(s, id, p), { ...requiredProps, networkPolicy: false }).some((o) => o.kind === 'NetworkPolicy')).toBe(false);
  });

  test('fails when a peer is empty: it would admit everything', () => {
    expect(() => build({ networkPolicy: { ingressFrom: [{}] } })).toThrow(
      'networkPolicy.ingressFrom[0]: an empty peer would admit everything; name a namespace, namespaceLabels, podLabels or a cidr (0.0.0.0/0 for anywhere)',
    );
  });

  test('fails when a cidr is combined with selectors, or is not a CIDR', () => {
    expect(() => build({ networkPolicy: { ingressFrom: [{ cidr: '10.0.0.0/8', namespace: 'x' }] } })).toThrow(
      "networkPolicy.ingressFrom[0].cidr: an IP block stands alone; give 'cidr' in a peer of its own",
    );
    expect(() => build({ networkPolicy: { egressTo: [{ cidr: '10.0.0.0/33' }] } })).toThrow(
      "networkPolicy.egressTo[0].cidr: '10.0.0.0/33' is not a CIDR block; write e.g. 10.0.0.0/8, 0.0.0.0/0 or fd00::/8",
    );
  });

  test('fails when namespace and namespaceLabels are both given', () => {
    expect(() => build({ networkPolicy: { ingressFrom: [{ namespace: 'a', namespaceLabels: { b: 'c' } }] } })).toThrow(
      "networkPolicy.ingressFrom[0].namespaceLabels: give either 'namespace' or 'namespaceLabels', not both",
    );
  });
});
