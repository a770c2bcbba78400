import { at, type Finding, listAt, recordAt, show } from '../manifest';
import type { ContainerAt, PodSpecAt } from '../pod-specs';
import { catalogued, type Rule, type RunIndex } from '../rule';

// The Pod Security Standards "restricted" profile of Kubernetes v1.28, control by control,
// as pod-security-admission (restricted:v1.28) applies them:
// https://kubernetes.io/docs/concepts/security/pod-security-standards/

interface PodContext {
  readonly pod: PodSpecAt;
  readonly containers: readonly ContainerAt[];
}

/** A rule over the pod spec of any workload kind; objects without one pass. */
function podRule(rule: Omit<Rule, 'check'>, check: (pod: PodContext) => Finding[], options: { windowsExempt?: boolean } = {}): Rule {
  return {
    ...rule,
    check({ object }, run: RunIndex) {
      const pod = run.podSpec(object);
      if (!pod || (options.windowsExempt && pod.windows)) return [];
      return check({ pod, containers: run.containers(pod) });
    },
  };
}

/** The findings of `check` for every container of the pod. */
function eachContainer({ containers }: PodContext, check: (c: ContainerAt) => Finding[]): Finding[] {
  return containers.flatMap(check);
}

export const PSS_HOST_PROCESS = podRule({
  ...catalogued('PSS-HOST-PROCESS'),
  rationale: 'A Windows HostProcess container has full access to the node.',
  fix: 'Remove securityContext.windowsOptions.hostProcess.',
  kubeLinter: '-',
  polaris: '-',
}, (ctx) => [
  ...(at(ctx.pod.spec, ['securityContext', 'windowsOptions', 'hostProcess']) === true
    ? [{ path: [...ctx.pod.path, 'securityContext', 'windowsOptions', 'hostProcess'], message: 'the pod runs as a HostProcess' }] : []),
  ...eachContainer(ctx, (c) => at(c.container, ['securityContext', 'windowsOptions', 'hostProcess']) === true
    ? [{ path: [...c.path, 'securityContext', 'windowsOptions', 'hostProcess'], message: `container '${c.name}' runs as a HostProcess` }] : []),
]);

export const PSS_HOST_NAMESPACES = podRule({
  ...catalogued('PSS-HOST-NAMESPACES'),
  rationale: "Sharing the node's network, PID or IPC namespace breaks the pod out of its isolation.",
  fix: 'Remove hostNetwork, hostPID and hostIPC (or set them to false).',
  kubeLinter: 'host-network, host-pid, host-ipc',
  polaris: 'hostNetworkSet, hostPIDSet, hostIPCSet',
}, ({ pod }) => (['hostNetwork', 'hostPID', 'hostIPC'] as const)
  .filter((field) => pod.spec[field] === true)
  .map((field) => ({ path: [...pod.path, field], message: `${field} is true` })));

export const PSS_PRIVILEGED = podRule({
  ...catalogued('PSS-PRIVILEGED'),
  rationale: 'A privileged container has every capability and all host devices: root on the node.',
  fix: 'Remove securityContext.privileged (or set it to false).',
  kubeLinter: 'privileged-container',
  polaris: 'runAsPrivileged',
}, (ctx) => eachContainer(ctx, (c) => at(c.container, ['securityContext', 'privileged']) === true
  ? [{ path: [...c.path, 'securityContext', 'privileged'], message: `container '${c.name}' is privileged` }] : []));

export const PSS_CAPABILITIES = podRule({
  ...catalogued('PSS-CAPABILITIES'),
  rationale: 'Capabilities beyond NET_BIND_SERVICE give a container kernel powers it should not have; restricted pods drop ALL.',
  fix: 'Set securityContext.capabilities.drop: [ALL] and add nothing but NET_BIND_SERVICE.',
  kubeLinter: 'drop-net-raw-capability',
  polaris: 'dangerousCapabilities, insecureCapabilities',
}, (ctx) => eachContainer(ctx, (c) => {
  const capabilities = recordAt(c.container, ['securityContext', 'capabilities']);
  const path = [...c.path, 'securityContext', 'capabilities'];
  const findings: Finding[] = [];
  const added = listAt(capabilities, ['add']).filter((cap) => cap !== 'NET_BIND_SERVICE');
  if (added.length > 0) findings.push({ path: [...path, 'add'], message: `container '${c.name}' adds ${added.map(show).join(', ')}` });
  if (!listAt(capabilities, ['drop']).includes('ALL')) findings.push({ path: [...path, 'drop'], message: `container '${c.name}' does not drop ALL capabilities` });
  return findings;
}), { windowsExempt: true });

export const PSS_HOST_PATH = podRule({
  ...catalogued('PSS-HOST-PATH'),
  rationale: "A hostPath volume reads or writes the node's filesystem.",
  fix: 'Use an emptyDir, a PersistentVolumeClaim or a projected volume instead.',
  kubeLinter: 'sensitive-host-mounts, writable-host-mount',
  polaris: '-',
}, ({ pod }) => listAt(pod.spec, ['volumes']).flatMap((volume, i) => recordAt(volume, []).hostPath !== undefined
  ? [{ path: [...pod.path, 'volumes', i, 'hostPath'], message: `volume '${show(recordAt(volume, []).name)}' is a hostPath` }] : []));

export const PSS_HOST_PORTS = podRule({
  ...catalogued('PSS-HOST-PORTS'),
  rationale: 'A hostPort binds a port on the node itself, bypassing network policy, and limits scheduling.',
  fix: 'Remove hostPort; expose the port through a Service.',
  kubeLinter: '-',
  polaris: 'hostPortSet',
}, (ctx) => eachContainer(ctx, (c) => listAt(c.container, ['ports']).flatMap((port, i) => {
  const hostPort = recordAt(port, []).hostPort;
  return hostPort !== undefined && hostPort !== 0 ? [{ path: [...c.path, 'ports', i, 'hostPort'], message: `container '${c.name}' binds host port ${show(hostPort)}` }] : [];
})));

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';
export const PSS_APPARMOR = podRule({
  ...catalogued('PSS-APPARMOR'),
  rationale: 'Turning AppArmor off (unconfined) removes a kernel guard the runtime applies by default.',
  fix: "Leave AppArmor at its default, or set the container.apparmor.security.beta.kubernetes.io/<container> annotation to 'runtime/default' or 'localhost/<profile>' (on Kubernetes 1.30+, appArmorProfile type RuntimeDefault or Localhost).",
  kubeLinter: '-',
  polaris: '-',
}, (ctx) => {
  const allowedTypes = [undefined, 'RuntimeDefault', 'Localhost'];
  const field = (securityContext: unknown, path: (string | number)[], who: string): Finding[] => {
    const type = at(securityContext, ['appArmorProfile', 'type']);
    return allowedTypes.includes(type as string | undefined) ? [] : [{ path: [...path, 'appArmorProfile', 'type'], message: `${who} runs with AppArmor profile ${show(type)}` }];
  };
  return [
    ...Object.entries(ctx.pod.annotations)
      .filter(([key, value]) => key.startsWith(APPARMOR_ANNOTATION) && !(value === '' || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'))))
      .map(([key, value]) => ({ path: [...ctx.pod.metadataPath, 'annotations', key], message: `container '${key.slice(APPARMOR_ANNOTATION.length)}' runs with AppArmor profile '${show(value)}'` })),
    ...field(ctx.pod.spec.securityContext, [...ctx.pod.path, 'securityContext'], 'the pod'),
    ...eachContainer(ctx, (c) => field(c.container.securityContext, [...c.path, 'securityContext'], `container '${c.name}'`)),
  ];
});

export const PSS_SELINUX = podRule({
  ...catalogued('PSS-SELINUX'),
  rationale: 'A custom SELinux user or role, or a type outside the container types, escapes the default confinement.',
  fix: 'Remove seLinuxOptions.user and role; use a type of container_t, container_init_t or container_kvm_t, or none.',
  kubeLinter: '-',
  polaris: '-',
}, (ctx) => {
  const allowedTypes = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
  const check = (options: Record<string, unknown>, path: (string | number)[], who: string): Finding[] => [
    ...(options.type !== undefined && !allowedTypes.includes(show(options.type)) ? [{ path: [...path, 'type'], message: `${who} uses SELinux type '${show(options.type)}'` }] : []),
    ...(['user', 'role'] as const).filter((f) => options[f] !== undefined && options[f] !== '').map((f) => ({ path: [...path, f], message: `${who} sets an SELinux ${f}` })),
  ];
  return [
    ...check(recordAt(ctx.pod.spec, ['securityContext', 'seLinuxOptions']), [...ctx.pod.path, 'securityContext', 'seLinuxOptions'], 'the pod'),
    ...eachContainer(ctx, (c) => check(recordAt(c.container, ['securityContext', 'seLinuxOptions']), [...c.path, 'securityContext', 'seLinuxOptions'], `container '${c.name}'`)),
  ];
});

export const PSS_PROC_MOUNT = podRule({
  ...catalogued('PSS-PROC-MOUNT'),
  rationale: 'An unmasked /proc exposes kernel details the runtime hides by default.',
  fix: 'Remove securityContext.procMount (or set it to Default).',
  kubeLinter: 'unsafe-proc-mount',
  polaris: '-',
}, (ctx) => eachContainer(ctx, (c) => {
  const procMount = at(c.container, ['securityContext', 'procMount']);
  return procMount !== undefined && procMount !== 'Default'
    ? [{ path: [...c.path, 'securityContext', 'procMount'], message: `container '${c.name}' has procMount ${show(procMount)}` }] : [];
}));

export const PSS_SECCOMP = podRule({
  ...catalogued('PSS-SECCOMP'),
  rationale: 'Without a seccomp profile a container can make every system call, including the ones kernel exploits use.',
  fix: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod (or Localhost with a profile).',
  kubeLinter: '-',
  polaris: '-',
}, ({ pod, containers }) => {
  const allowed = ['RuntimeDefault', 'Localhost'];
  const podType = at(pod.spec, ['securityContext', 'seccompProfile', 'type']);
  const findings: Finding[] = [];
  if (podType !== undefined && !allowed.includes(show(podType))) {
    findings.push({ path: [...pod.path, 'securityContext', 'seccompProfile', 'type'], message: `the pod's seccomp profile is ${show(podType)}` });
  }
  for (const c of containers) {
    const type = at(c.container, ['securityContext', 'seccompProfile', 'type']);
    if (type !== undefined && !allowed.includes(show(type))) {
      findings.push({ path: [...c.path, 'securityContext', 'seccompProfile', 'type'], message: `container '${c.name}' has seccomp profile ${show(type)}` });
    } else if (type === undefined && podType === undefined) {
      findings.push({ path: [...c.path, 'securityContext', 'seccompProfile'], message: `container '${c.name}' has no seccomp profile, on itself or on the pod` });
    }
  }
  return findings;
}, { windowsExempt: true });

// The safe sysctls of the v1.28 profile (1.29 added net.ipv4.tcp_keepalive_* and tcp_fin_timeout).
const SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports'];
export const PSS_SYSCTLS = podRule({
  ...catalogued('PSS-SYSCTLS'),
  rationale: 'Unsafe sysctls change kernel settings shared with other pods on the node.',
  fix: `Remove the sysctl; only ${SAFE_SYSCTLS.join(', ')} are allowed.`,
  kubeLinter: 'unsafe-sysctls',
  polaris: '-',
}, ({ pod }) => listAt(pod.spec, ['securityContext', 'sysctls']).flatMap((sysctl, i) => {
  const name = show(recordAt(sysctl, []).name);
  return SAFE_SYSCTLS.includes(name) ? [] : [{ path: [...pod.path, 'securityContext', 'sysctls', i, 'name'], message: `sysctl '${name}' is not a safe sysctl` }];
}));

const ALLOWED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
export const PSS_VOLUME_TYPES = podRule({
  ...catalogued('PSS-VOLUME-TYPES'),
  rationale: 'Restricted pods use only volume types that cannot reach the node or a storage backend directly.',
  fix: `Use one of ${ALLOWED_VOLUME_SOURCES.join(', ')}; reach other storage through a PersistentVolumeClaim.`,
  kubeLinter: '-',
  polaris: '-',
}, ({ pod }) => listAt(pod.spec, ['volumes']).flatMap((volume, i) => Object.keys(recordAt(volume, []))
  .filter((field) => field !== 'name' && field !== 'hostPath' && !ALLOWED_VOLUME_SOURCES.includes(field))
  .map((field) => ({ path: [...pod.path, 'volumes', i, field], message: `volume '${show(recordAt(volume, []).name)}' is of type ${field}` }))));

export const PSS_PRIVILEGE_ESCALATION = podRule({
  ...catalogued('PSS-PRIVILEGE-ESCALATION'),
  rationale: 'A process that can gain more privileges than its parent (setuid binaries) undoes every other restriction.',
  fix: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
  kubeLinter: 'privilege-escalation-container',
  polaris: 'privilegeEscalationAllowed',
}, (ctx) => eachContainer(ctx, (c) => at(c.container, ['securityContext', 'allowPrivilegeEscalation']) !== false
  ? [{ path: [...c.path, 'securityContext', 'allowPrivilegeEscalation'], message: `container '${c.name}' does not set allowPrivilegeEscalation: false` }] : []), { windowsExempt: true });

export const PSS_RUN_AS_NON_ROOT = podRule({
  ...catalogued('PSS-RUN-AS-NON-ROOT'),
  rationale: 'A container running as root is one kernel bug away from root on the node.',
  fix: 'Set securityContext.runAsNonRoot: true on the pod (or every container), and no runAsUser of 0.',
  kubeLinter: 'run-as-non-root',
  polaris: 'runAsRootAllowed',
}, ({ pod, containers }) => {
  const podNonRoot = at(pod.spec, ['securityContext', 'runAsNonRoot']);
  const findings: Finding[] = [];
  if (at(pod.spec, ['securityContext', 'runAsUser']) === 0) findings.push({ path: [...pod.path, 'securityContext', 'runAsUser'], message: 'the pod runs as user 0 (root)' });
  if (podNonRoot === false) findings.push({ path: [...pod.path, 'securityContext', 'runAsNonRoot'], message: 'the pod sets runAsNonRoot: false' });
  for (const c of containers) {
    const nonRoot = at(c.container, ['securityContext', 'runAsNonRoot']) ?? podNonRoot;
    if (nonRoot !== true) findings.push({ path: [...c.path, 'securityContext', 'runAsNonRoot'], message: `container '${c.name}' may run as root: runAsNonRoot is not true on it or on the pod` });
    if (at(c.container, ['securityContext', 'runAsUser']) === 0) findings.push({ path: [...c.path, 'securityContext', 'runAsUser'], message: `container '${c.name}' runs as user 0 (root)` });
  }
  return findings;
});
