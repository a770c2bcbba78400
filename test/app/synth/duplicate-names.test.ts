import * as fs from 'node:fs';
import * as path from 'node:path';
import { useTempProject } from '../../helpers';

// A workload name repeated in another file is one problem, at the file that repeats it, with
// the original's location; it is no clash between environments (which blamed environments.yaml).

const repoRoot = path.resolve(__dirname, '../../..');
const project = useTempProject('cdk8s-ml-duplicates-');
const { write, synth } = project;

/** The repository's own example workloads and environments file, in the project. */
function copyExamples(): void {
  fs.cpSync(path.join(repoRoot, 'workloads'), path.join(project.root, 'workloads'), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'environments.yaml'), path.join(project.root, 'environments.yaml'));
}

const example = (name: string) => fs.readFileSync(path.join(repoRoot, 'workloads', name), 'utf8');
const lineOfName = (text: string) => text.split('\n').findIndex((l) => l.startsWith('name:')) + 1;

describe('a duplicate workload name with environments', () => {
  test('is reported once, at the copy, with the original\'s location, and no environment clash', () => {
    copyExamples();
    const original = example('fraud-detector.yaml');
    write('workloads/team/copy.yaml', original);
    const line = lineOfName(original);
    const result = synth();
    expect(result.stderr).toBe([
      `workloads/team/copy.yaml:${line}: name: 'fraud-detector' is already defined at workloads/fraud-detector.yaml:${line}; workload names must be unique per namespace`,
      'cdk8s-ml: synth failed with 1 problem(s); nothing was written',
      '',
    ].join('\n'));
    expect(result.code).toBe(1);
  });

  test('names the environments it is a duplicate in, when not all', () => {
    copyExamples();
    // In prod the copy goes to a namespace of its own; in dev and staging both go to the environment's.
    write('workloads/team/copy.yaml', 'kind: ModelServing\nname: fraud-detector\nimage: registry.example.com/ml/copy:1.0.0\nenvironments:\n  prod: { namespace: team-b }\n');
    const result = synth();
    expect(result.stderr).toBe([
      `workloads/team/copy.yaml:2: name: 'fraud-detector' is already defined at workloads/fraud-detector.yaml:${lineOfName(example('fraud-detector.yaml'))}; workload names must be unique per namespace (environment dev, staging)`,
      'cdk8s-ml: synth failed with 1 problem(s); nothing was written',
      '',
    ].join('\n'));
  });

  test('still reports two environments that deploy to one namespace of one cluster', () => {
    write('environments.yaml', 'environments:\n  dev: { namespace: ml }\n  staging: { namespace: ml }\n');
    write('workloads/a.yaml', 'kind: ModelServing\nname: a\nimage: registry.example.com/ml/a:1.0.0\n');
    write('workloads/b.yaml', 'kind: ModelServing\nname: b\nimage: registry.example.com/ml/b:1.0.0\n');
    expect(synth().stderr).toContain("environments.yaml:3: environments.staging.namespace: environments 'dev' and 'staging' both deploy 2 workloads ('a', ...) to namespace 'ml'");
  });

  test('without environments, names the namespace', () => {
    write('workloads/a.yaml', 'kind: ModelServing\nname: a\nnamespace: ml\nimage: registry.example.com/ml/a:1.0.0\n');
    write('workloads/b.yaml', 'kind: ModelServing\nname: a\nnamespace: ml\nimage: registry.example.com/ml/a:1.0.0\n');
    expect(synth({ CDK8S_ML_ENVIRONMENTS: 'none' }).stderr).toContain("workloads/b.yaml:2: name: 'a' is already defined in namespace 'ml' at workloads/a.yaml:2; workload names must be unique per namespace\n");
  });
});

describe('a document of no known kind', () => {
  test('is reported for its kind only: it takes no name, so a workload of the same name is no duplicate', () => {
    write('workloads/a.yaml', 'kind: Deploymnt\nname: fe\nimage: registry.example.com/ml/fe:1.0.0\n');
    write('workloads/b.yaml', 'kind: MlPipeline\nname: fe\nimage: registry.example.com/ml/fe:1.0.0\n');
    const { code, stderr } = synth({ CDK8S_ML_ENVIRONMENTS: 'none' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^workloads\/a\.yaml:1: kind: .*\ncdk8s-ml: synth failed with 1 problem\(s\); nothing was written\n$/);
  });
});
