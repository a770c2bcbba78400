import type { PropPath } from '../../core/errors';
import { isDns1123Label } from '../../core/names';
import { at, type Finding, type K8sObject, isRecord, listAt, recordAt, show } from '../manifest';
import { apiGroup, type ContainerAt } from '../pod-specs';

// Port numbers and port names wherever the API server checks them
// (k8s.io/kubernetes pkg/apis/core/validation: IsValidPortNum, IsValidPortName).
// A value of the wrong type is K8S-SCHEMA's to report; these look at integers and strings only.

const PORT_NAME_SYNTAX = 'an IANA service name: at most 15 lowercase letters, digits and -, with a letter, no - at either end and no --';

/** An IANA service name, as a container port name or a named target port must be. */
export function isPortName(name: string): boolean {
  return name.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name) && /[a-z]/.test(name) && !name.includes('--');
}

function isPortNumber(value: number): boolean {
  return value >= 1 && value <= 65535;
}

/** `value` as a port number, when it is an integer outside 1-65535. */
function badNumber(value: unknown, path: PropPath, what = 'port'): Finding[] {
  return Number.isInteger(value) && !isPortNumber(value as number)
    ? [{ path, message: `${what} ${show(value)} is not a valid port number (1-65535)` }]
    : [];
}

/** A port given as a number or a name (an IntOrString, such as a probe's or a targetPort). */
function badNumberOrName(value: unknown, path: PropPath): Finding[] {
  if (typeof value !== 'string') return badNumber(value, path);
  if (isPortName(value)) return [];
  const hint = /^\d+$/.test(value) ? ' (a quoted number is a name: write it unquoted)' : '';
  return [{ path, message: `port name '${value}' is not ${PORT_NAME_SYNTAX}${hint}` }];
}

const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'] as const;

/** A container's ports (numbers, host ports, names used once) and the ports its probes and lifecycle hooks call. */
export function containerPortFindings(c: ContainerAt): Finding[] {
  const findings: Finding[] = [];
  const names = new Set<string>();
  listAt(c.container, ['ports']).forEach((port, i) => {
    if (!isRecord(port)) return;
    const path = [...c.path, 'ports', i];
    if (typeof port.name === 'string' && port.name !== '') {
      if (!isPortName(port.name)) findings.push({ path: [...path, 'name'], message: `port name '${port.name}' is not ${PORT_NAME_SYNTAX}` });
      else if (names.has(port.name)) findings.push({ path: [...path, 'name'], message: `port name '${port.name}' is used twice in container '${c.name}'` });
      names.add(port.name);
    }
    findings.push(...badNumber(port.containerPort, [...path, 'containerPort'], 'containerPort'));
    // 0 means no host port.
    if (port.hostPort !== 0) findings.push(...badNumber(port.hostPort, [...path, 'hostPort'], 'hostPort'));
  });
  for (const probe of PROBES) findings.push(...handlerFindings(c.container, [probe], [...c.path, probe]));
  for (const hook of ['postStart', 'preStop']) findings.push(...handlerFindings(c.container, ['lifecycle', hook], [...c.path, 'lifecycle', hook]));
  return findings;
}

function handlerFindings(container: Record<string, unknown>, where: PropPath, path: PropPath): Finding[] {
  const handler = recordAt(container, where);
  return [
    ...(isRecord(handler.httpGet) ? badNumberOrName(handler.httpGet.port, [...path, 'httpGet', 'port']) : []),
    ...(isRecord(handler.tcpSocket) ? badNumberOrName(handler.tcpSocket.port, [...path, 'tcpSocket', 'port']) : []),
    ...(isRecord(handler.grpc) ? badNumber(handler.grpc.port, [...path, 'grpc', 'port']) : []),
  ];
}

/** The ports of a Service, NetworkPolicy or Ingress; other kinds have none the API server checks here. */
export function objectPortFindings(object: K8sObject): Finding[] {
  const group = apiGroup(object.apiVersion);
  if (object.kind === 'Service' && group === '') return servicePortFindings(object);
  if (object.kind === 'NetworkPolicy' && group === 'networking.k8s.io') return networkPolicyPortFindings(object);
  if (object.kind === 'Ingress' && group === 'networking.k8s.io') return ingressPortFindings(object);
  return [];
}

function servicePortFindings(object: K8sObject): Finding[] {
  const ports = listAt(object, ['spec', 'ports']);
  const findings: Finding[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    if (!isRecord(port)) return;
    const path = ['spec', 'ports', i];
    // A Service port's name is a DNS-1123 label (not an IANA name), required when there are several ports.
    if (typeof port.name === 'string' && port.name !== '') {
      if (!isDns1123Label(port.name)) findings.push({ path: [...path, 'name'], message: `port name '${port.name}' is not a DNS-1123 label (lowercase letters, digits and -, at most 63)` });
      else if (names.has(port.name)) findings.push({ path: [...path, 'name'], message: `port name '${port.name}' is used twice in the Service` });
      names.add(port.name);
    } else if (ports.length > 1 && (port.name === undefined || port.name === null || port.name === '')) {
      findings.push({ path: [...path, 'name'], message: 'is required when a Service has more than one port' });
    }
    findings.push(...badNumber(port.port, [...path, 'port']));
    // 0 or '' is defaulted to the port; a nodePort of 0 is allocated.
    if (port.targetPort !== 0 && port.targetPort !== '') findings.push(...badNumberOrName(port.targetPort, [...path, 'targetPort']));
    if (port.nodePort !== 0) findings.push(...badNumber(port.nodePort, [...path, 'nodePort'], 'nodePort'));
  });
  return findings;
}

function networkPolicyPortFindings(object: K8sObject): Finding[] {
  return (['ingress', 'egress'] as const).flatMap((direction) => listAt(object, ['spec', direction]).flatMap((rule, r) =>
    listAt(rule, ['ports']).flatMap((port, i): Finding[] => {
      if (!isRecord(port)) return [];
      const path = ['spec', direction, r, 'ports', i];
      const findings = badNumberOrName(port.port, [...path, 'port']);
      if (port.endPort === undefined || port.endPort === null) return findings;
      if (typeof port.port === 'string') return [...findings, { path: [...path, 'endPort'], message: 'endPort cannot be set when port is a name' }];
      if (port.port === undefined || port.port === null) return [...findings, { path: [...path, 'endPort'], message: 'endPort cannot be set without port' }];
      findings.push(...badNumber(port.endPort, [...path, 'endPort'], 'endPort'));
      if (typeof port.port === 'number' && typeof port.endPort === 'number' && port.endPort < port.port) {
        findings.push({ path: [...path, 'endPort'], message: `endPort ${port.endPort} is below port ${port.port}` });
      }
      return findings;
    })));
}

function ingressPortFindings(object: K8sObject): Finding[] {
  const backends: [unknown, PropPath][] = [[at(object, ['spec', 'defaultBackend']), ['spec', 'defaultBackend']]];
  listAt(object, ['spec', 'rules']).forEach((rule, r) => listAt(rule, ['http', 'paths']).forEach((p, i) => {
    backends.push([at(p, ['backend']), ['spec', 'rules', r, 'http', 'paths', i, 'backend']]);
  }));
  return backends.flatMap(([backend, path]): Finding[] => {
    const port = at(backend, ['service', 'port']);
    if (!isRecord(port)) return [];
    const portPath = [...path, 'service', 'port'];
    const hasName = typeof port.name === 'string' && port.name !== '';
    const hasNumber = port.number !== undefined && port.number !== null && port.number !== 0;
    if (hasName && hasNumber) return [{ path: portPath, message: 'sets both name and number; give one' }];
    if (hasName) return isPortName(port.name as string) ? [] : [{ path: [...portPath, 'name'], message: `port name '${show(port.name)}' is not ${PORT_NAME_SYNTAX}` }];
    if (hasNumber) return badNumber(port.number, [...portPath, 'number']);
    return [{ path: portPath, message: 'needs a name or a number' }];
  });
}
