import { type K8sObject, validateManifests } from '../../lib';

// What the API server rejects beyond the schema (K8S-SCHEMA, K8S-NAMES, K8S-SELECTOR), and
// what it accepts that these rules must not reject: selectors, ports, budgets, container names.

/** The [rule, field, message] of every violation of `objects`, checked as one run, for the rules named. */
function findings(objects: K8sObject[], rules = ['K8S-SCHEMA', 'K8S-NAMES', 'K8S-SELECTOR', 'PDB-ALLOWS-EVICTION']): string[][] {
  return validateManifests(objects.map((object, i) => ({ object, source: 'test.yaml', line: i + 1 })))
    .violations.filter((v) => rules.includes(v.rule.id)).map((v) => [v.rule.id, v.field, v.message]);
}

const CONTAINER = { name: 'web', image: 'registry.example.com/web:1.0.0' };

function pod(spec: Record<string, unknown> = {}, labels: Record<string, string> = { app: 'web' }) {
  return { metadata: { labels }, spec: { containers: [CONTAINER], ...spec } };
}

function replicationController(spec: Record<string, unknown>): K8sObject {
  return { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'web' }, spec: { replicas: 1, template: pod(), ...spec } };
}

function deployment(spec: Record<string, unknown>, template = pod()): K8sObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template, ...spec } };
}

function service(ports: unknown[]): K8sObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports } };
}

function budget(spec: Record<string, unknown>): K8sObject {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } };
}

describe('K8S-SELECTOR', () => {
  test('a ReplicationController selects with a plain label map', () => {
    expect(findings([replicationController({ selector: { app: 'web' } })])).toEqual([]);
  });

  test('a ReplicationController without a selector, or with an empty one, takes its template labels', () => {
    expect(findings([replicationController({})])).toEqual([]);
    expect(findings([replicationController({ selector: {} })])).toEqual([]);
  });

  test('fails when a ReplicationController selector does not match its template', () => {
    expect(findings([replicationController({ selector: { app: 'api' } })])).toEqual([
      ['K8S-SELECTOR', 'spec.selector', 'the selector {"app":"api"} does not select the pod template\'s labels {"app":"web"}'],
    ]);
  });

  test('fails when a ReplicationController has neither a selector nor template labels', () => {
    expect(findings([replicationController({ template: pod({}, {}) })])).toEqual([
      ['K8S-SELECTOR', 'spec.selector', "is required: it defaults to the pod template's labels, and the template has none"],
    ]);
  });

  test('fails on a ReplicationController selector value that is not a label value', () => {
    expect(findings([replicationController({ selector: { app: 'web site' } })])).toEqual([
      ['K8S-SELECTOR', 'spec.selector.app', "'web site' is not a valid label value (at most 63 alphanumerics, -, _ or .)"],
    ]);
  });

  test('a Deployment selecting with matchExpressions passes', () => {
    expect(findings([deployment({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } })])).toEqual([]);
  });

  test('fails on matchExpressions the API server rejects', () => {
    const selector = { matchLabels: { app: 'web' }, matchExpressions: [
      { key: 'tier', operator: 'In', values: [] },
      { key: 'app', operator: 'Exists', values: ['web'] },
      { key: 'app', operator: 'Equals', values: ['web'] },
    ] };
    expect(findings([deployment({ selector })])).toEqual([
      ['K8S-SELECTOR', 'spec.selector.matchExpressions[0].values', 'operator In needs at least one value'],
      ['K8S-SELECTOR', 'spec.selector.matchExpressions[1].values', 'operator Exists takes no values'],
      ['K8S-SELECTOR', 'spec.selector.matchExpressions[2].operator', "'Equals' is not a selector operator (In, NotIn, Exists, DoesNotExist)"],
    ]);
  });

  test('a Deployment without a template is K8S-SCHEMA\'s alone', () => {
    const object = deployment({});
    delete (object.spec as Record<string, unknown>).template;
    expect(findings([object])).toEqual([['K8S-SCHEMA', 'spec.template', 'is required']]);
  });

  test('an Argo CD Rollout that takes its pods from a workloadRef has no template to match', () => {
    const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } } };
    expect(findings([rollout], ['K8S-SELECTOR'])).toEqual([]);
  });
});

describe('K8S-NAMES: ports', () => {
  test('fails on Service target ports out of range or with names longer than 15 characters', () => {
    expect(findings([service([
      { name: 'a', port: 80, targetPort: 1234 },
      { name: 'b', port: 81, targetPort: 'n-3456789012345' },
      { name: 'c', port: 82, targetPort: 123456 },
      { name: 'd', port: 83, targetPort: 'n234567890123456' },
      { name: 'e', port: 84, targetPort: '8080' },
    ])])).toEqual([
      ['K8S-NAMES', 'spec.ports[2].targetPort', 'port 123456 is not a valid port number (1-65535)'],
      ['K8S-NAMES', 'spec.ports[3].targetPort', "port name 'n234567890123456' is not an IANA service name: at most 15 lowercase letters, digits and -, with a letter, no - at either end and no --"],
      ['K8S-NAMES', 'spec.ports[4].targetPort', "port name '8080' is not an IANA service name: at most 15 lowercase letters, digits and -, with a letter, no - at either end and no -- (a quoted number is a name: write it unquoted)"],
    ]);
  });

  test('fails on a Service port, nodePort or port name the API server rejects', () => {
    expect(findings([service([
      { name: 'http', port: 0 },
      { name: 'http', port: 80, nodePort: 70000 },
      { name: 'Metrics', port: 9090 },
      { port: 9091 },
    ])])).toEqual([
      ['K8S-NAMES', 'spec.ports[0].port', 'port 0 is not a valid port number (1-65535)'],
      ['K8S-NAMES', 'spec.ports[1].name', "port name 'http' is used twice in the Service"],
      ['K8S-NAMES', 'spec.ports[1].nodePort', 'nodePort 70000 is not a valid port number (1-65535)'],
      ['K8S-NAMES', 'spec.ports[2].name', "port name 'Metrics' is not a DNS-1123 label (lowercase letters, digits and -, at most 63)"],
      ['K8S-NAMES', 'spec.ports[3].name', 'is required when a Service has more than one port'],
    ]);
  });

  test('a Service port name may be longer than 15 characters, and targetPort 0 means the port', () => {
    expect(findings([service([{ name: 'prometheus-metrics-http', port: 9090, targetPort: 0 }])])).toEqual([]);
  });

  test('fails on container, host and probe ports out of range', () => {
    const container = {
      ...CONTAINER,
      ports: [{ name: 'http', containerPort: 123456 }, { containerPort: 8080, hostPort: 70000 }],
      livenessProbe: { httpGet: { port: 0 } },
      readinessProbe: { grpc: { port: 65536 } },
      startupProbe: { tcpSocket: { port: 'health-check-port' } },
      lifecycle: { preStop: { httpGet: { port: 99999 } } },
    };
    expect(findings([deployment({}, { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } })])).toEqual([
      ['K8S-NAMES', 'spec.template.spec.containers[0].ports[0].containerPort', 'containerPort 123456 is not a valid port number (1-65535)'],
      ['K8S-NAMES', 'spec.template.spec.containers[0].ports[1].hostPort', 'hostPort 70000 is not a valid port number (1-65535)'],
      ['K8S-NAMES', 'spec.template.spec.containers[0].startupProbe.tcpSocket.port', "port name 'health-check-port' is not an IANA service name: at most 15 lowercase letters, digits and -, with a letter, no - at either end and no --"],
      ['K8S-NAMES', 'spec.template.spec.containers[0].readinessProbe.grpc.port', 'port 65536 is not a valid port number (1-65535)'],
      ['K8S-NAMES', 'spec.template.spec.containers[0].livenessProbe.httpGet.port', 'port 0 is not a valid port number (1-65535)'],
      ['K8S-NAMES', 'spec.template.spec.containers[0].lifecycle.preStop.httpGet.port', 'port 99999 is not a valid port number (1-65535)'],
    ]);
  });

  test('fails on NetworkPolicy ports the API server rejects', () => {
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web' },
      spec: {
        podSelector: {},
        ingress: [{ ports: [{ port: 8080 }, { port: 'http', endPort: 90 }, { port: 70000 }] }],
        egress: [{ ports: [{ port: 2000, endPort: 1000 }, { port: 'a-very-long-port-name' }] }],
      },
    };
    expect(findings([policy])).toEqual([
      ['K8S-NAMES', 'spec.ingress[0].ports[1].endPort', 'endPort cannot be set when port is a name'],
      ['K8S-NAMES', 'spec.ingress[0].ports[2].port', 'port 70000 is not a valid port number (1-65535)'],
      ['K8S-NAMES', 'spec.egress[0].ports[0].endPort', 'endPort 1000 is below port 2000'],
      ['K8S-NAMES', 'spec.egress[0].ports[1].port', "port name 'a-very-long-port-name' is not an IANA service name: at most 15 lowercase letters, digits and -, with a letter, no - at either end and no --"],
    ]);
  });

  test('fails on Ingress backend ports the API server rejects', () => {
    const backend = (port: unknown) => ({ service: { name: 'web', port } });
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      spec: {
        defaultBackend: backend({ number: 80 }),
        rules: [{ http: { paths: [
          { path: '/a', pathType: 'Prefix', backend: backend({ number: 70000 }) },
          { path: '/b', pathType: 'Prefix', backend: backend({ name: 'http', number: 80 }) },
          { path: '/c', pathType: 'Prefix', backend: backend({ name: 'http' }) },
        ] } }],
      },
    };
    expect(findings([ingress])).toEqual([
      ['K8S-NAMES', 'spec.rules[0].http.paths[0].backend.service.port.number', 'port 70000 is not a valid port number (1-65535)'],
      ['K8S-NAMES', 'spec.rules[0].http.paths[1].backend.service.port', 'sets both name and number; give one'],
    ]);
  });
});

describe('K8S-NAMES: containers', () => {
  test('a container without a name is reported once, as required', () => {
    const nameless = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ image: 'registry.example.com/web:1.0.0' }] } };
    expect(findings([nameless])).toEqual([['K8S-SCHEMA', 'spec.containers[0].name', 'is required']]);
  });
});

describe('PodDisruptionBudget', () => {
  const workload = deployment({ replicas: 3 });

  test('fails when both minAvailable and maxUnavailable are set, and that cannot be suppressed', () => {
    const both = budget({ minAvailable: 1, maxUnavailable: 1 });
    (both.metadata as Record<string, unknown>).annotations = { 'ignore.policy.cdk8s-ml.io/K8S-SCHEMA': 'please' };
    expect(findings([workload, both], ['K8S-SCHEMA'])).toEqual([
      ['K8S-SCHEMA', 'spec', 'minAvailable (1) and maxUnavailable (1) cannot both be set; keep one'],
    ]);
  });

  test('fails on minAvailable 100% even with maxUnavailable set', () => {
    expect(findings([workload, budget({ minAvailable: '100%', maxUnavailable: 1 })])).toEqual([
      ['K8S-SCHEMA', 'spec', 'minAvailable (100%) and maxUnavailable (1) cannot both be set; keep one'],
      ['PDB-ALLOWS-EVICTION', 'spec.minAvailable', 'minAvailable 100% never lets a pod go'],
    ]);
  });

  test('fails on counts and percentages the API server rejects', () => {
    expect(findings([workload, budget({ maxUnavailable: '150%' })])).toEqual([['K8S-SCHEMA', 'spec.maxUnavailable', 'maxUnavailable 150% is more than 100%']]);
    expect(findings([workload, budget({ maxUnavailable: '1' })])).toEqual([['K8S-SCHEMA', 'spec.maxUnavailable', "'1' must be a number of pods or a percentage such as 50% (write a count unquoted)"]]);
    expect(findings([workload, budget({ maxUnavailable: -1 })])).toEqual([['K8S-SCHEMA', 'spec.maxUnavailable', 'maxUnavailable -1 must not be negative']]);
  });

  test('one field that allows an eviction passes', () => {
    expect(findings([workload, budget({ maxUnavailable: '50%' })])).toEqual([]);
    expect(findings([workload, budget({ minAvailable: 2 })])).toEqual([]);
  });
});
