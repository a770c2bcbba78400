import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadManifests } from '../../app/validate/load-manifests';
import { RULES, validateManifests } from '../../lib';

const corpus = path.join(__dirname, 'corpus');
const files = fs.readdirSync(corpus).filter((f) => f.endsWith('.yaml')).sort();

function firedRules(file: string): string[] {
  const result = validateManifests(loadManifests(file, path.basename(file)).manifests);
  return [...new Set([...result.violations, ...result.warnings].map((v) => v.rule.id))].sort();
}

describe('the rule corpus', () => {
  test('has one bad manifest set per rule', () => {
    expect(files.map((f) => path.basename(f, '.yaml')).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  test.each(files)('%s trips exactly its rule', (file) => {
    expect(firedRules(path.join(corpus, file))).toEqual([path.basename(file, '.yaml')]);
  });

  test('the base the corpus changes breaks no rule', () => {
    expect(firedRules(path.join(__dirname, 'valid.yaml'))).toEqual([]);
  });
});

describe('RULES', () => {
  test('IDs are unique', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  test('every rule says why, how to fix it and what kube-linter and Polaris call it', () => {
    for (const rule of RULES) {
      expect(rule.rationale).toMatch(/\.$/);
      expect(rule.fix).toMatch(/\.$/);
      expect(rule.kubeLinter).not.toBe('');
      expect(rule.polaris).not.toBe('');
    }
  });

  test('rules the API server enforces cannot be suppressed', () => {
    expect(RULES.filter((r) => !r.suppressible).map((r) => r.id).sort())
      .toEqual(['HPA-REPLICA-RANGE', 'K8S-NAMES', 'K8S-OBJECT-SIZE', 'K8S-SCHEMA', 'K8S-SELECTOR', 'POLICY-SUPPRESSION', 'REQUESTS-WITHIN-LIMITS']);
  });
});
