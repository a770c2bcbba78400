import * as path from 'node:path';
import { ApiObject, App } from 'cdk8s';
import { buildWorkloadsFromDir } from '../../../app/synth/build-workloads';
import { useTempProject } from '../../helpers';

const project = useTempProject('cdk8s-ml-build-');

// synth validates the whole fleet at once; a chart of its own that app.synth()'s gate
// checks again would double the validation (see test/library/validation-gate.test.ts).
test('puts no app.synth() gate on the charts it builds', () => {
  project.write('workloads/server.yaml', 'kind: ModelServing\nname: fraud-detector\nnamespace: ml\nimage: registry.example.com/fraud-detector:1.4.2\n');
  const built = buildWorkloadsFromDir(new App(), path.join(project.root, 'workloads'), (file) => file);
  expect(built).toHaveLength(1);
  const chart = built[0].chart;
  // A Service that selects no pod: the gate would report it.
  new ApiObject(chart, 'Stray', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'stray', namespace: 'ml' }, spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] } });
  expect(chart.node.validate()).toEqual([]);
});
