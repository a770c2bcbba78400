import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { buildWorkloadsFromDir } from '../../../app/synth/build-workloads';
import { useTempProject } from '../../helpers';

const project = useTempProject('cdk8s-ml-build-');

// A fleet's memory holds each workload's objects once, as JSON: the construct tree it was built
// in goes as soon as they are resolved, the chart of a workload with problems too.
test('resolves each workload to JSON and keeps no chart in the app', () => {
  project.write('workloads/server.yaml', 'kind: ModelServing\nname: fraud-detector\nnamespace: ml\nimage: registry.example.com/fraud-detector:1.4.2\n');
  project.write('workloads/broken.yaml', 'kind: ModelServing\nname: broken\nnamespace: ml\nimage: registry.example.com/broken:1.0.0\nport: 0\n');
  const app = new App();
  expect(() => buildWorkloadsFromDir(app, path.join(project.root, 'workloads'), (file) => file)).toThrow('port: must be >= 1');
  expect(app.node.children).toEqual([]);
  fs.rmSync(path.join(project.root, 'workloads/broken.yaml'));
  const built = buildWorkloadsFromDir(app, path.join(project.root, 'workloads'), (file) => file);
  expect(app.node.children).toEqual([]);
  expect(built).toHaveLength(1);
  expect(built[0].kinds).toEqual(['Deployment', 'Service', 'HorizontalPodAutoscaler', 'ServiceAccount', 'PodDisruptionBudget', 'NetworkPolicy']);
  expect(built[0].objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'NetworkPolicy', 'Service', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);
  expect(built[0].objects.every((o) => Object.getPrototypeOf(o) === Object.prototype)).toBe(true);
});
