import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PolicyValidation } from '../../app/validate/cdk8s-plugin';
import { filesBelow } from '../helpers';

// The CLI's package exports map only opens './plugins'; its types live under lib/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require('cdk8s-cli/plugins') as typeof import('cdk8s-cli/lib/plugins/validation');

async function runPlugin(manifests: string[]) {
  const context = new ValidationContext(manifests, 'cdk8s-ml', '0.1.0', {}, false);
  const logged: string[] = [];
  jest.spyOn(context.logger, 'log').mockImplementation((m: string) => { logged.push(m); });
  await new PolicyValidation().validate(context);
  return { report: context.report.toJson(), success: context.report.success, logged: logged.join('\n') };
}

describe('PolicyValidation (cdk8s CLI plugin)', () => {
  test('passes the committed dist/', async () => {
    const dist = path.resolve(__dirname, '../../dist');
    const { success, report } = await runPlugin(filesBelow(dist).map((f) => path.join(dist, f)));
    expect(success).toBe(true);
    expect(report.violations).toEqual([]);
  });

  test('fails with one violation per finding and prints the same report', async () => {
    const file = path.resolve(__dirname, 'corpus/ENV-SECRET-LITERAL.yaml');
    const { success, report, logged } = await runPlugin([file]);
    expect(success).toBe(false);
    expect(report.violations.map((v) => v.ruleName)).toEqual(['ENV-SECRET-LITERAL']);
    expect(report.violations[0].violatingConstructs[0]).toMatchObject({ resourceName: 'web', locations: ['spec.template.spec.containers[0].env[0].value'], manifestPath: file });
    expect(logged).toContain("[ENV-SECRET-LITERAL] container 'web' sets HF_TOKEN to a literal value");
  });

  test('fails on a manifest that is not YAML', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-plugin-'));
    fs.writeFileSync(path.join(dir, 'a.k8s.yaml'), 'kind: [\n');
    expect((await runPlugin([path.join(dir, 'a.k8s.yaml')])).success).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });
});
