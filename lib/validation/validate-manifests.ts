import { describeObject, fieldPath, type Finding, isRecord, type Manifest, recordAt, show } from './manifest';
import { findPodSpec } from './pod-specs';
import { type Rule, RunIndex, RunMemory } from './rule';
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

/** A suppression that suppressed nothing: the rule holds, so it can go. */
export interface UnusedSuppression {
  readonly manifest: Manifest;
  readonly ruleId: string;
}

/** What a validation run found. */
export interface ValidationResult {
  /** How many objects were checked. */
  readonly checked: number;
  readonly violations: readonly Violation[];
  /** Findings of warning rules: reported, but they do not fail the run. */
  readonly warnings: readonly Violation[];
  readonly suppressed: readonly Suppression[];
  readonly unusedSuppressions: readonly UnusedSuppression[];
  /** Custom resources no installed schema describes; every other rule still ran on them. */
  readonly unchecked: readonly Manifest[];
}

/** Reported when a rule itself fails on an object: a bug, never a pass. */
const INTERNAL_ERROR: Rule = {
  id: 'INTERNAL-ERROR',
  rationale: 'A rule failed on this object; it was not checked.',
  fix: 'Report this as a cdk8s-ml bug, with the object.',
  kubeLinter: '-',
  polaris: '-',
  suppressible: false,
  check: () => [],
};

/** The RunIndex members that look at other objects of the run; a rule that uses none judges its object alone. */
const CROSS_OBJECT: ReadonlySet<PropertyKey> = new Set(['manifests', 'duplicateOf', 'find', 'selected', 'autoscalersOf']);

/**
 * What each rule found on an object, when it looked at that object alone, kept between runs
 * (watch mode) for objects that are the same: an unchanged workload's objects are not checked again
 * by those rules. The rules that relate objects run on every object every time.
 */
export class CheckCache {
  public readonly findings = new WeakMap<object, (readonly Finding[] | undefined)[]>();
  /** What the runs work out per object (pod specs, the secret scan). */
  public readonly memory = new RunMemory();
}

/**
 * Checks every manifest against the Kubernetes schema and every policy rule,
 * as one run: rules that relate objects (a Service and its pods, an HPA and
 * its target) see all of them. Never throws, whatever the manifests hold.
 * With `cache` (same rules each time), findings of rules that looked at their
 * object alone are taken from, and kept in, it.
 */
export function validateManifests(manifests: readonly Manifest[], rules: readonly Rule[] = RULES, cache?: CheckCache): ValidationResult {
  const objects = manifests.filter((m) => isRecord(m.object));
  const runIndex = new RunIndex(objects, rules, cache?.memory);
  // With a cache, the rules see the index through a proxy that notes when one looks beyond its object.
  let crossed = false;
  const run = cache ? new Proxy(runIndex, {
    get(target, property, receiver) {
      if (CROSS_OBJECT.has(property)) crossed = true;
      return Reflect.get(target, property, receiver);
    },
  }) : runIndex;
  const violations: Violation[] = [];
  const warnings: Violation[] = [];
  const suppressed: Suppression[] = [];
  // A workload's exceptions sit on each of its objects; one counts as used when it
  // suppressed something on any object of the same workload: the same
  // app.kubernetes.io/instance in the same namespace, or else the same document.
  const unused = new Map<string, UnusedSuppression>();
  const used = new Set<string>();
  const ignoreKeys = rules.map((rule) => rule.suppressible ? `${IGNORE_ANNOTATION_PREFIX}${rule.id}` : undefined);
  for (const manifest of objects) {
    const annotations = recordAt(manifest.object, ['metadata', 'annotations']);
    const mayIgnore = Object.keys(annotations).some((key) => key.startsWith(IGNORE_ANNOTATION_PREFIX));
    let known = cache?.findings.get(manifest.object);
    if (cache && !known) cache.findings.set(manifest.object, known = []);
    for (let index = 0; index < rules.length; index++) {
      const rule = rules[index];
      const ignoreKey = ignoreKeys[index];
      const reason = mayIgnore && ignoreKey !== undefined ? annotations[ignoreKey] : undefined;
      const suppressing = typeof reason === 'string' && reason.trim() !== '';
      let findings = known?.[index];
      try {
        if (findings === undefined) {
          crossed = false;
          findings = rule.check(manifest, run);
          if (known && !crossed) known[index] = findings;
        }
        const across = rule.across?.(manifest, run);
        if (across !== undefined && across.length > 0) findings = [...findings, ...across];
      } catch (e) {
        violations.push({ rule: INTERNAL_ERROR, manifest, field: fieldPath([]), message: `${rule.id} failed: ${show((e as Error)?.message ?? e)}` });
        continue;
      }
      for (const finding of findings) {
        const violation = { rule, manifest, field: fieldPath(finding.path), message: finding.message };
        if (suppressing) suppressed.push({ ...violation, reason });
        else (rule.severity === 'warning' ? warnings : violations).push(violation);
      }
      if (suppressing) {
        const key = `${workloadOf(manifest)}\u0000${rule.id}`;
        if (findings.length > 0) used.add(key);
        // Reported once per workload, against the object that runs its pods when there is one.
        else if (!unused.has(key) || (!findPodSpec(unused.get(key)!.manifest.object) && findPodSpec(manifest.object))) unused.set(key, { manifest, ruleId: rule.id });
      }
    }
  }
  // Built-in kinds without a schema are K8S-SCHEMA violations already.
  const unchecked = objects.filter(({ object }) => typeof object.apiVersion === 'string' && typeof object.kind === 'string'
    && !isBuiltInApiVersion(object.apiVersion) && !hasSchema(object));
  const unusedSuppressions = [...unused].filter(([key]) => !used.has(key)).map(([, u]) => u);
  return { checked: objects.length, violations, warnings, suppressed, unusedSuppressions, unchecked };
}

function workloadOf(manifest: Manifest): string {
  const instance = recordAt(manifest.object, ['metadata', 'labels'])['app.kubernetes.io/instance'];
  return typeof instance === 'string'
    ? `${show(manifest.object.metadata?.namespace)}\u0000${instance}`
    : `${manifest.source}\u0000${manifest.line}`;
}

function where(manifest: Manifest): string {
  const at = manifest.line === undefined ? manifest.source : `${manifest.source}:${manifest.line}`;
  return manifest.environment === undefined ? at : `${at} (environment ${manifest.environment})`;
}

/**
 * Checks each group on its own (the objects of one environment see only each
 * other: every environment has the same names) and reports them as one run.
 */
export function validateGroups(groups: readonly (readonly Manifest[])[], cache?: CheckCache): ValidationResult {
  const results = groups.map((group) => validateManifests(group, RULES, cache));
  return {
    checked: results.reduce((sum, r) => sum + r.checked, 0),
    violations: results.flatMap((r) => r.violations),
    warnings: results.flatMap((r) => r.warnings),
    suppressed: results.flatMap((r) => r.suppressed),
    unusedSuppressions: results.flatMap((r) => r.unusedSuppressions),
    unchecked: results.flatMap((r) => r.unchecked),
  };
}

/** `workloads/a.yaml:3: Deployment ns/name: spec.replicas: [HPA-NO-REPLICAS] ...` and its fix. */
export function formatViolation(v: Violation): string {
  return `${where(v.manifest)}: ${describeObject(v.manifest.object)}: ${v.field}: [${v.rule.id}] ${v.message}\n    fix: ${v.rule.fix}`;
}

/** The report of a run: every violation, then the suppressions and what could not be schema-checked. */
export function formatReport(result: ValidationResult): string {
  const lines = [...result.violations.map(formatViolation), ...result.warnings.map((w) => `warning: ${formatViolation(w)}`)];
  for (const s of result.suppressed) {
    lines.push(`suppressed: ${where(s.manifest)}: ${describeObject(s.manifest.object)}: ${s.field}: [${s.rule.id}] ${s.message} (reason: ${s.reason})`);
  }
  for (const u of result.unusedSuppressions) {
    lines.push(`unused suppression: ${where(u.manifest)}: ${describeObject(u.manifest.object)}: ${u.ruleId} finds nothing to suppress; remove the exception`);
  }
  for (const m of result.unchecked) {
    lines.push(`not schema-checked (no schema installed for ${show(m.object.apiVersion)} ${show(m.object.kind)}): ${describeObject(m.object)} in ${m.source}`);
  }
  const objects = new Set(result.violations.map((v) => v.manifest)).size;
  const inObjects = result.violations.length > 0 ? ` in ${objects} object(s)` : '';
  const warnings = result.warnings.length > 0 ? `, ${result.warnings.length} warning(s)` : '';
  lines.push(`cdk8s-ml: ${result.checked} object(s) checked: ${result.violations.length} policy violation(s)${inObjects}${warnings}, ${result.suppressed.length} suppressed`);
  return `${lines.join('\n')}\n`;
}
