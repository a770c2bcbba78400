import { closestMatch } from '../../core/suggest';
import { type Finding, recordAt } from '../manifest';
import { catalogued, type Rule } from '../rule';

import { IGNORE_ANNOTATION_PREFIX } from '../../core/rule-ids';

export { IGNORE_ANNOTATION_PREFIX };

export const POLICY_SUPPRESSION: Rule = {
  ...catalogued('POLICY-SUPPRESSION'),
  rationale: 'A suppression must name a rule that exists and may be suppressed, and say why, so that a reviewer can judge it.',
  fix: `Annotate ${IGNORE_ANNOTATION_PREFIX}<RULE-ID> with a written reason (policy.ignore in a workload file); rules the API server enforces cannot be suppressed.`,
  kubeLinter: '- (ignore-check.kube-linter.io annotations)',
  polaris: '- (polaris.fairwinds.com exemptions)',
  check({ object }, run) {
    const findings: Finding[] = [];
    for (const [key, reason] of Object.entries(recordAt(object, ['metadata', 'annotations']))) {
      if (!key.startsWith(IGNORE_ANNOTATION_PREFIX)) continue;
      const id = key.slice(IGNORE_ANNOTATION_PREFIX.length);
      const rule = run.rules.find((r) => r.id === id);
      const path = ['metadata', 'annotations', key];
      if (!rule) {
        const hint = closestMatch(id, run.rules.filter((r) => r.suppressible).map((r) => r.id));
        findings.push({ path, message: `'${id}' is not a rule${hint ? `; did you mean '${hint}'?` : ''}` });
      }
      else if (!rule.suppressible) findings.push({ path, message: `${id} cannot be suppressed` });
      if (typeof reason !== 'string' || reason.trim() === '') findings.push({ path, message: `the suppression of ${id} gives no reason; write why the rule does not apply` });
    }
    return findings;
  },
};
