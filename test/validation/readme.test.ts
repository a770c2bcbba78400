import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../lib';

// The README's rule table is the reference users read; it must list every rule as the code has it.
test('the README lists every rule with its kube-linter and Polaris checks', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  for (const rule of RULES) {
    expect(readme).toContain(`| \`${rule.id}\` | ${escape(rule.rationale)} | ${escape(rule.fix)} | ${escape(rule.kubeLinter)} | ${escape(rule.polaris)} | ${rule.suppressible ? 'yes' : 'no'} |`);
  }
});
