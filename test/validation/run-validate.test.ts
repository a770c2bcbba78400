import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSynth } from '../../app/synth/run-synth';
import { runValidate } from '../../app/validate/run-validate';
import { filesBelow } from '../helpers';

const projectRoot = path.resolve(__dirname, '../..');

function validate(paths: string[], cwd = projectRoot) {
  let stdout = '';
  let stderr = '';
  const code = runValidate({ paths, cwd, stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

describe('runValidate', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-validate-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the committed dist/ is valid', () => {
    const result = validate(['dist']);
    expect(result.code).toBe(0);
    const files = filesBelow(path.join(projectRoot, 'dist')).length;
    expect(result.stdout).toMatch(new RegExp(`cdk8s-ml: \\d+ object\\(s\\) checked in ${files} file\\(s\\), all valid`));
  });

  test('fails with the report over the rule corpus', () => {
    const result = validate(['test/validation/corpus']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('test/validation/corpus/IMAGE-PINNED.yaml:');
    expect(result.stderr).toContain("[IMAGE-PINNED] container 'web': 'registry.example.com/web:latest' uses ':latest'");
    expect(result.stderr).toMatch(/cdk8s-ml: \d+ object\(s\) checked: [1-9]\d* policy violation\(s\) in [1-9]\d* object\(s\), (\d+ warning\(s\), )?0 suppressed/);
  });

  test('reads files and folders given relative to where it runs, and the items of a List', () => {
    fs.writeFileSync(path.join(dir, 'list.yml'), [
      'apiVersion: v1', 'kind: List', 'items:',
      '  - { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }',
      '  - { apiVersion: v1, kind: ConfigMap, metadata: { name: B } }',
    ].join('\n'));
    const result = validate(['list.yml'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("list.yml:5: ConfigMap B: metadata.name: [K8S-NAMES] 'B' is not a DNS-1123 subdomain");
    expect(result.stderr).toContain('2 object(s) checked');
  });

  test('fails on a YAML syntax error, naming the file and line', () => {
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a\n');
    const result = validate(['.'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^bad\.yaml:\d+: YAML syntax error: /m);
  });

  test('fails on a document that is not an object', () => {
    fs.writeFileSync(path.join(dir, 'list.yaml'), '- a\n- b\n');
    expect(validate(['list.yaml'], dir).stderr).toContain('list.yaml:1: a Kubernetes manifest document must be an object with apiVersion and kind');
  });

  test('exits 2 with usage on no path, a missing one, or a folder without YAML', () => {
    expect(validate([])).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run validate -- PATH...') });
    expect(validate(['nowhere'])).toMatchObject({ code: 2, stderr: expect.stringContaining("cdk8s-ml: 'nowhere' does not exist") });
    expect(validate(['.'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining("cdk8s-ml: '.' holds no *.yaml or *.yml files") });
  });

  test('--help prints the usage and exits 0', () => {
    expect(validate(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('usage: npm run validate -- PATH...') });
  });

  test('each folder with a kustomization.yaml is checked on its own, and the kustomization.yaml is not an object', () => {
    const hpa = (ns: string) => `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: web, namespace: ${ns} }\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }\n  minReplicas: 1\n  maxReplicas: 3\n`;
    const deployment = fs.readFileSync(path.join(projectRoot, 'test/validation/corpus/ONE-AUTOSCALER.yaml'), 'utf8').split('---\n')[1];
    for (const env of ['dev', 'prod']) {
      fs.mkdirSync(path.join(dir, env));
      fs.writeFileSync(path.join(dir, env, 'web.yaml'), `${deployment}---\n${hpa('one-autoscaler')}`);
      fs.writeFileSync(path.join(dir, env, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [web.yaml]\n');
    }
    expect(validate([dir], dir).stdout).toContain('cdk8s-ml: 4 object(s) checked in 4 file(s), all valid');
    // Given folder by folder, the units are the same.
    expect(validate([path.join(dir, 'dev'), path.join(dir, 'prod')], dir).stdout).toContain('cdk8s-ml: 4 object(s) checked in 4 file(s), all valid');
    // Without the kustomization files, both HPAs scale the one Deployment web.
    for (const env of ['dev', 'prod']) fs.rmSync(path.join(dir, env, 'kustomization.yaml'));
    expect(validate([dir], dir).stderr).toContain('[ONE-AUTOSCALER]');
  });

  test('a file given twice is read once', () => {
    expect(validate(['dist', 'dist/prod/ml-serving.fraud-detector.k8s.yaml'])).toEqual(validate(['dist']));
  });

  test("synth's own output, suppressions included, validates without noise", () => {
    fs.mkdirSync(path.join(dir, 'workloads'));
    fs.writeFileSync(path.join(dir, 'workloads/w.yaml'), 'kind: ModelServing\nname: w\nimage: r.example.com/w:1\nenv: { DB_PASSWORD: demo }\npolicy: { ignore: [{ rule: ENV-SECRET-LITERAL, reason: demo database }] }\n');
    expect(runSynth({ env: {}, cwd: dir, stdout: () => undefined, stderr: () => undefined })).toBe(0);
    const result = validate(['dist'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('cdk8s-ml: 6 object(s) checked: 0 policy violation(s), 1 suppressed');
    expect(result.stdout).not.toContain('unused suppression');
  });
});
