import { describeObject, fieldPath, type Manifest, recordAt } from './manifest';
import { type Rule, RunIndex } from './rule';
import { hasSchema, IGNORE_ANNOTATION_PREFIX, isBuiltInApiVersion, RULES } from './rules';

/** One rule broken by one object. */
export interface Violation {
  readonly rule: Rule;
  readonly manifest: Manifest;
  /** The field, as the report shows it: `spec.template.spec.containers[0].image`. */
  readonly field: string;
  readonly message: string;
}

/** A violation a written reason suppressed. */
export interface Suppression extends Violation {
  readonly reason: string;
}

/** What a validation run found. */
export interface ValidationResult {
  readonly violations: readonly Violation[];
  readonly suppressed: readonly Suppression[];
  /** Custom resources no installed schema describes; every other rule still ran on them. */
  readonly unchecked: readonly Manifest[];
}

/**
 * Checks every manifest against the Kubernetes schema and every policy rule,
 * as one run: rules that relate objects (a Service and its pods, an HPA and
 * its target) see all of them.
 */
export function validateManifests(manifests: readonly Manifest[], rules: readonly Rule[] = RULES): ValidationResult {
  const run = new RunIndex(manifests, rules);
  const violations: Violation[] = [];
  const suppressed: Suppression[] = [];
  for (const manifest of manifests) {
    const annotations = recordAt(manifest.object, ['metadata', 'annotations']);
    for (const rule of rules) {
      const reason = rule.suppressible ? annotations[`${IGNORE_ANNOTATION_PREFIX}${rule.id}`] : undefined;
      for (const finding of rule.check(manifest, run)) {
        const violation = { rule, manifest, field: fieldPath(finding.path), message: finding.message };
        if (typeof reason === 'string' && reason.trim() !== '') suppressed.push({ ...violation, reason });
        else violations.push(violation);
      }
    }
  }
  // Built-in kinds without a schema are K8S-SCHEMA violations already.
  const unchecked = manifests.filter(({ object }) => typeof object.apiVersion === 'string' && typeof object.kind === 'string'
    && !isBuiltInApiVersion(object.apiVersion) && !hasSchema(object));
  return { violations, suppressed, unchecked };
}

/** `workloads/a.yaml:3: Deployment ns/name: spec.replicas: [HPA-NO-REPLICAS] ...` and its fix. */
export function formatViolation(v: Violation): string {
  const where = v.manifest.line === undefined ? v.manifest.source : `${v.manifest.source}:${v.manifest.line}`;
  return `${where}: ${describeObject(v.manifest.object)}: ${v.field}: [${v.rule.id}] ${v.message}\n    fix: ${v.rule.fix}`;
}

/** The report of a run: every violation, then the suppressions and what could not be schema-checked. */
export function formatReport(result: ValidationResult): string {
  const lines = result.violations.map(formatViolation);
  for (const s of result.suppressed) {
    lines.push(`suppressed: ${describeObject(s.manifest.object)}: [${s.rule.id}] ${s.message} (reason: ${s.reason})`);
  }
  for (const m of result.unchecked) {
    lines.push(`not schema-checked (no schema installed for ${String(m.object.apiVersion)} ${String(m.object.kind)}): ${describeObject(m.object)} in ${m.source}`);
  }
  const objects = new Set(result.violations.map((v) => v.manifest)).size;
  lines.push(`cdk8s-ml: ${result.violations.length} policy violation(s) in ${objects} object(s), ${result.suppressed.length} suppressed`);
  return `${lines.join('\n')}\n`;
}
