// The policy and schema rules, by id: the props schema checks `policy.ignore` against
// this catalogue, and lib/validation/rules implements each rule. In the order reports and
// the README's table list them; `suppressible` where a workload may exempt itself from the
// rule with a written reason, never for what the API server would reject.

/**
 * Annotation that suppresses one rule on one object, with the reason as its
 * value: `ignore.policy.cdk8s-ml.io/IMAGE-PINNED: "vendor image, pinned upstream"`.
 * A workload file's `policy.ignore` becomes these annotations.
 */
export const IGNORE_ANNOTATION_PREFIX = 'ignore.policy.cdk8s-ml.io/';

/** The annotations that carry a workload's `policy.ignore` onto each of its objects. */
export function ignoreAnnotations(ignore: readonly { readonly rule: string; readonly reason: string }[] = []): Record<string, string> {
  return Object.fromEntries(ignore.map((e) => [`${IGNORE_ANNOTATION_PREFIX}${e.rule}`, e.reason.trim()]));
}

export const RULE_CATALOGUE = {
  'K8S-SCHEMA': { suppressible: false },
  'K8S-NAMES': { suppressible: false },
  'K8S-SELECTOR': { suppressible: false },
  'K8S-OBJECT-SIZE': { suppressible: false },
  'POLICY-SUPPRESSION': { suppressible: false },
  'PSS-HOST-PROCESS': { suppressible: true },
  'PSS-HOST-NAMESPACES': { suppressible: true },
  'PSS-PRIVILEGED': { suppressible: true },
  'PSS-CAPABILITIES': { suppressible: true },
  'PSS-HOST-PATH': { suppressible: true },
  'PSS-HOST-PORTS': { suppressible: true },
  'PSS-APPARMOR': { suppressible: true },
  'PSS-SELINUX': { suppressible: true },
  'PSS-PROC-MOUNT': { suppressible: true },
  'PSS-SECCOMP': { suppressible: true },
  'PSS-SYSCTLS': { suppressible: true },
  'PSS-VOLUME-TYPES': { suppressible: true },
  'PSS-PRIVILEGE-ESCALATION': { suppressible: true },
  'PSS-RUN-AS-NON-ROOT': { suppressible: true },
  'RESOURCE-REQUESTS': { suppressible: true },
  'REQUESTS-WITHIN-LIMITS': { suppressible: false },
  'HPA-METRIC-REQUESTS': { suppressible: true },
  'HPA-TARGET-EXISTS': { suppressible: true },
  'TRIGGER-AUTH-EXISTS': { suppressible: true },
  'HPA-NO-REPLICAS': { suppressible: true },
  'HPA-REPLICA-RANGE': { suppressible: false },
  'ONE-AUTOSCALER': { suppressible: true },
  'SERVICE-SELECTOR': { suppressible: true },
  'SERVICE-TARGET-PORT': { suppressible: true },
  'PROBE-PORT': { suppressible: true },
  'IMAGE-PINNED': { suppressible: true },
  'ENV-SECRET-LITERAL': { suppressible: true },
  'SECRET-LITERAL': { suppressible: true },
  'SECRET-MANIFEST': { suppressible: true },
  'PDB-ALLOWS-EVICTION': { suppressible: true },
} as const satisfies { readonly [id: string]: { readonly suppressible: boolean } };

/** The id of a catalogued rule: `IMAGE-PINNED`. */
export type RuleId = keyof typeof RULE_CATALOGUE;

/** Every rule's id, in the catalogue's order. */
export const RULE_IDS = Object.keys(RULE_CATALOGUE) as readonly RuleId[];

/** Whether `id` names a catalogued rule. */
export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(RULE_CATALOGUE, id);
}
