import { RULE_IDS } from '../../core/rule-ids';
import type { Rule } from '../rule';
import * as keda from './keda';
import { K8S_OBJECT_SIZE } from './object-size';
import * as pss from './pod-security';
import { K8S_NAMES, K8S_SCHEMA, K8S_SELECTOR } from './schema';
import * as secrets from './secrets';
import { POLICY_SUPPRESSION } from './suppression';
import * as workloads from './workloads';

export * from './keda';
export * from './object-size';
export * from './pod-security';
export * from './schema';
export * from './secrets';
export * from './suppression';
export * from './workloads';

const IMPLEMENTED: readonly Rule[] = [
  K8S_SCHEMA,
  K8S_NAMES,
  K8S_SELECTOR,
  K8S_OBJECT_SIZE,
  POLICY_SUPPRESSION,
  pss.PSS_HOST_PROCESS,
  pss.PSS_HOST_NAMESPACES,
  pss.PSS_PRIVILEGED,
  pss.PSS_CAPABILITIES,
  pss.PSS_HOST_PATH,
  pss.PSS_HOST_PORTS,
  pss.PSS_APPARMOR,
  pss.PSS_SELINUX,
  pss.PSS_PROC_MOUNT,
  pss.PSS_SECCOMP,
  pss.PSS_SYSCTLS,
  pss.PSS_VOLUME_TYPES,
  pss.PSS_PRIVILEGE_ESCALATION,
  pss.PSS_RUN_AS_NON_ROOT,
  workloads.RESOURCE_REQUESTS,
  workloads.REQUESTS_WITHIN_LIMITS,
  workloads.HPA_METRIC_REQUESTS,
  workloads.HPA_TARGET_EXISTS,
  keda.TRIGGER_AUTH_EXISTS,
  workloads.HPA_NO_REPLICAS,
  workloads.HPA_REPLICA_RANGE,
  workloads.ONE_AUTOSCALER,
  workloads.SERVICE_SELECTOR,
  workloads.SERVICE_TARGET_PORT,
  workloads.PROBE_PORT,
  workloads.IMAGE_PINNED,
  secrets.ENV_SECRET_LITERAL,
  secrets.SECRET_LITERAL,
  secrets.SECRET_MANIFEST,
  workloads.PDB_ALLOWS_EVICTION,
];

/** Every rule, in the catalogue's order (lib/core/rule-ids.ts): the order reports and the README's table list them. */
export const RULES: readonly Rule[] = RULE_IDS.map((id) => {
  const rule = IMPLEMENTED.find((r) => r.id === id);
  if (!rule) throw new Error(`rule ${id} is in the catalogue (lib/core/rule-ids.ts) but not implemented`);
  return rule;
});
