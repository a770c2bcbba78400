import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chart } from 'cdk8s';
import { MlPipeline, ModelServing, type ModelServingProps } from '../../../lib';
import { runSynth } from '../../../app/synth/run-synth';
import { filesBelow, testApp } from '../../helpers';

// What Kubernetes keys on (object names, selectors) comes from the workload's name
// alone: refactoring code or moving files must never replace an object or orphan pods.
const props: ModelServingProps = {
  name: 'fraud-detector', namespace: 'ml-serving', image: 'registry.example.com/ml/fraud:1.4.2',
  metrics: { port: 9090 }, autoscaling: { minReplicas: 2, maxReplicas: 6 },
};

function objects(chartId: string, constructId: string) {
  const app = testApp();
  const chart = new Chart(app, chartId);
  new ModelServing(chart, constructId, props);
  new MlPipeline(chart, `${constructId}Worker`, { name: 'worker', image: 'r.example.com/w:1', metrics: { port: 9100 } });
  return chart.toJson();
}

test('renaming a construct id or its chart changes no object: names, selectors and labels stay', () => {
  expect(objects('Serving', 'Workload')).toEqual(objects('RenamedChart', 'FraudDetectorV2'));
});

test('moving or renaming a workload file changes only the header line naming it', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-move-'));
  try {
    fs.mkdirSync(path.join(root, 'workloads/team'), { recursive: true });
    fs.writeFileSync(path.join(root, 'environments.yaml'), 'environments:\n  dev: { namespace: ml-dev }\n  prod: {}\n');
    const text = 'kind: ModelServing\nname: fraud-detector\nnamespace: ml-serving\nimage: r.example.com/f:1\nmetrics: { port: 9090 }\n';
    const synth = () => {
      expect(runSynth({ env: {}, cwd: root, stdout: () => undefined, stderr: (t) => process.stderr.write(t) })).toBe(0);
      return Object.fromEntries(filesBelow(path.join(root, 'dist')).map((f) => [f, fs.readFileSync(path.join(root, 'dist', f), 'utf8')]));
    };
    fs.writeFileSync(path.join(root, 'workloads/fraud.yaml'), text);
    const before = synth();
    fs.rmSync(path.join(root, 'workloads/fraud.yaml'));
    fs.writeFileSync(path.join(root, 'workloads/team/fraud-detector-v2.yaml'), text);
    const after = synth();
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const file of Object.keys(before)) {
      expect(after[file].split('\n').slice(1)).toEqual(before[file].split('\n').slice(1));
    }
    expect(after['prod/ml-serving.fraud-detector.k8s.yaml'].split('\n')[0]).toContain('"workloads/team/fraud-detector-v2.yaml"');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
