import type { Validation, ValidationContext } from 'cdk8s-cli/lib/plugins/validation';
import { formatFileIssue } from '../config/workload-file';
import { loadManifestFiles } from './load-manifests';
import { describeObject, show } from '../../lib/validation/manifest';
import { formatReport, validateGroups } from '../../lib/validation/validate-manifests';

/**
 * The cdk8s CLI validation plugin (`validations:` in cdk8s.yaml): runs the
 * same schema and policy checks as `npm run synth` over every manifest
 * `cdk8s synth` produced, prints the same report, and fails the synth on a
 * violation. It reads the manifests only, so it needs no construct metadata.
 */
export class PolicyValidation implements Validation {
  public async validate(context: ValidationContext): Promise<void> {
    const { manifests, issues, units } = loadManifestFiles(context.manifests, (file) => file);
    const result = validateGroups(units);
    const problems = issues.map(formatFileIssue);
    context.logger.log([...problems, formatReport(result).trimEnd()].join('\n'));
    for (const v of result.violations) {
      context.report.addViolation({
        ruleName: v.rule.id,
        recommendation: `${describeObject(v.manifest.object)}: ${v.message}`,
        fix: v.rule.fix,
        violatingResources: [{ resourceName: show(v.manifest.object.metadata?.name), locations: [v.field], manifestPath: v.manifest.source }],
      });
    }
    context.report.submit(result.violations.length > 0 || issues.length > 0 ? 'failure' : 'success', {
      objects: String(manifests.length),
      suppressed: String(result.suppressed.length),
    });
  }
}
