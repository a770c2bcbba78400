import { type K8sObject, validateManifests } from '../../lib';

function probeFindings(ports: unknown[], port: unknown): string[] {
  const object: K8sObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web' },
    spec: { containers: [{ name: 'web', image: 'registry.example.com/web:1.0.0', ports, livenessProbe: { tcpSocket: { port } } }] },
  };
  return validateManifests([{ object, source: 'pod.yaml' }]).violations.filter((v) => v.rule.id === 'PROBE-PORT').map((v) => v.message);
}

describe('PROBE-PORT', () => {
  test('fails when the probe names a port declared only for UDP: probes connect over TCP', () => {
    expect(probeFindings([{ name: 'dns', containerPort: 53, protocol: 'UDP' }], 'dns')).toEqual([
      "container 'web' has no TCP port named 'dns' (it is declared for another protocol; probes connect over TCP)",
    ]);
  });

  test('a port name declared for TCP, by default or by name, passes', () => {
    expect(probeFindings([{ name: 'http', containerPort: 8080 }], 'http')).toEqual([]);
    expect(probeFindings([{ name: 'http', containerPort: 8080, protocol: 'TCP' }], 'http')).toEqual([]);
  });
});
