import * as fs from 'node:fs';
import * as path from 'node:path';
import { type K8sObject, validateManifests } from '../../lib';
import { runValidate } from '../../app/validate/run-validate';
import { K8S_OBJECT_SIZE, MAX_ANNOTATION_BYTES, MAX_OBJECT_BYTES } from '../../lib/validation/rules/object-size';
import { useTempProject } from '../helpers';

function sizeFindings(object: K8sObject): string[] {
  return validateManifests([{ object, source: 'big.yaml', line: 1 }]).violations
    .filter((v) => v.rule.id === 'K8S-OBJECT-SIZE').map((v) => `${v.field}: ${v.message}`);
}

function configMap(data: Record<string, string>, annotations: Record<string, string> = {}): K8sObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', annotations }, data };
}

const jsonBytes = (object: unknown) => Buffer.byteLength(JSON.stringify(object));

describe('K8S-OBJECT-SIZE', () => {
  test('fails on an object over 1.5 MiB as JSON, with its size and the limit', () => {
    const object = configMap({ a: 'x'.repeat(1_000_000), b: 'y'.repeat(600_000) });
    expect(sizeFindings(object)).toEqual([
      `(whole object): the object is ${jsonBytes(object).toLocaleString('en-US')} bytes as JSON, over the 1,572,864 bytes (1.5 MiB) the API server can store`,
    ]);
  });

  test('counts bytes as JSON stores them: escapes and multi-byte characters', () => {
    // 700,000 characters: 1,000,000 bytes of escaped quotes and backslashes, 600,000 of euro signs.
    expect(sizeFindings(configMap({ quotes: '"\\'.repeat(250_000), euros: '€'.repeat(200_000) }))).toHaveLength(1);
    expect(sizeFindings(configMap({ plain: 'x'.repeat(1_500_000) }))).toEqual([]);
  });

  test('an object just at the limit passes; one byte more fails', () => {
    const at = (extra: number) => {
      const object = configMap({ a: '' });
      (object.data as Record<string, string>).a = 'x'.repeat(MAX_OBJECT_BYTES - jsonBytes(object) + extra);
      return object;
    };
    expect(jsonBytes(at(0))).toBe(MAX_OBJECT_BYTES);
    expect(sizeFindings(at(0))).toEqual([]);
    expect(sizeFindings(at(1))).toHaveLength(1);
  });

  test('fails on a Deployment with a million arguments', () => {
    const args = Array(1_000_000).fill('a');
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'big' }, spec: { template: { spec: { containers: [{ name: 'c', args }] } } } };
    expect(K8S_OBJECT_SIZE.check({ object: deployment, source: 'big.yaml' }, undefined as never)).toEqual([
      { path: [], message: `the object is ${jsonBytes(deployment).toLocaleString('en-US')} bytes as JSON, over the 1,572,864 bytes (1.5 MiB) the API server can store` },
    ]);
  });

  test('fails on annotations over 256 KiB', () => {
    const annotations = { a: 'x'.repeat(MAX_ANNOTATION_BYTES) };
    expect(sizeFindings(configMap({}, annotations))).toEqual(['metadata.annotations: the annotations are 262,145 bytes, over the 262,144 bytes (256 KiB) the API server allows']);
    expect(sizeFindings(configMap({}, { a: 'x'.repeat(MAX_ANNOTATION_BYTES - 1) }))).toEqual([]);
  });

  test('cannot be suppressed', () => {
    const object = configMap({ a: 'x'.repeat(1_600_000) }, { 'ignore.policy.cdk8s-ml.io/K8S-OBJECT-SIZE': 'it fits, trust me' });
    expect(sizeFindings(object)).toHaveLength(1);
  });
});

describe('an object too large to store', () => {
  const project = useTempProject('cdk8s-ml-size-');

  test('fails npm run validate, naming the file, line and object', () => {
    const data = { a: 'x'.repeat(1_000_000), b: 'y'.repeat(1_000_000) };
    project.write('big.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: big }\ndata:\n  a: ${data.a}\n  b: ${data.b}\n`);
    const bytes = jsonBytes({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data }).toLocaleString('en-US');
    let stderr = '';
    const code = runValidate({ paths: ['big.yaml'], cwd: project.root, stdout: () => undefined, stderr: (t) => { stderr += t; } });
    expect(code).toBe(1);
    expect(stderr).toContain(`big.yaml:1: ConfigMap big: (whole object): [K8S-OBJECT-SIZE] the object is ${bytes} bytes as JSON, over the 1,572,864 bytes (1.5 MiB) the API server can store`);
  });

  test('fails synth, and nothing is written', () => {
    project.write('workloads/big.yaml', `kind: MlPipeline\nname: big\nimage: registry.example.com/big:1.0.0\nenv:\n  A: ${'a'.repeat(800_000)}\n  B: ${'b'.repeat(800_000)}\n`);
    const result = project.synth();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^workloads\/big\.yaml:1: Deployment big: \(whole object\): \[K8S-OBJECT-SIZE\] the object is 1,6\d\d,\d{3} bytes as JSON, over the 1,572,864 bytes \(1\.5 MiB\) the API server can store$/m);
    expect(result.stderr).toContain('cdk8s-ml: synth failed; nothing was written');
    expect(fs.existsSync(path.join(project.root, 'dist'))).toBe(false);
  });
});
