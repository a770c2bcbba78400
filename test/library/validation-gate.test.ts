import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { ModelServing, type ModelServingProps } from '../../lib';

// A chart composed in TypeScript gets the checks of `npm run validate` on app.synth().

let outdir: string;
beforeEach(() => { outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-gate-')); });
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

const SERVER: ModelServingProps = { name: 'fraud-detector', namespace: 'ml', image: 'registry.example.com/fraud-detector:1.4.2' };

/** A chart with one model server, its image re-tagged `latest` through a JSON patch. */
function latestThroughPatch(props: Partial<ModelServingProps> = {}): App {
  const app = new App({ outdir });
  const server = new ModelServing(new Chart(app, 'ml'), 'Server', { ...SERVER, ...props });
  server.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/image', 'registry.example.com/fraud-detector:latest'));
  return app;
}

const IMAGE_VIOLATION = "[ml] ml/Server/Deployment: Deployment ml/fraud-detector: spec.template.spec.containers[0].image: [IMAGE-PINNED] container 'model-server': 'registry.example.com/fraud-detector:latest' uses ':latest'";

test('a violation added after construction (a JSON patch) fails app.synth() with the rule, the object, the field and the fix', () => {
  expect(() => latestThroughPatch().synth()).toThrow(IMAGE_VIOLATION);
  expect(() => latestThroughPatch().synth()).toThrow(/\n {4}fix: /);
  expect(() => latestThroughPatch().synthYaml()).toThrow(IMAGE_VIOLATION);
  expect(fs.readdirSync(outdir)).toEqual([]);
});

test('the rule suppressed the documented way (policy.ignore, with a reason) synthesizes', () => {
  const app = latestThroughPatch({ policy: { ignore: [{ rule: 'IMAGE-PINNED', reason: 'a dev chart that follows latest' }] } });
  app.synth();
  expect(fs.readdirSync(outdir)).toEqual(['ml.k8s.yaml']);
});

test('validation: false leaves the workload out of the gate', () => {
  latestThroughPatch({ validation: false }).synth();
  expect(fs.readdirSync(outdir)).toEqual(['ml.k8s.yaml']);
});

test('a workload with validation: false is still seen by the rules relating objects, without its findings', () => {
  const app = latestThroughPatch({ validation: false });
  const chart = app.charts[0];
  // A second, checked workload in the same chart installs the gate; the first's image is not reported.
  new ModelServing(chart, 'Other', { ...SERVER, name: 'other' });
  app.synth();
  expect(fs.readdirSync(outdir)).toEqual(['ml.k8s.yaml']);
});

test('a clean chart synthesizes as before', () => {
  const app = new App({ outdir });
  new ModelServing(new Chart(app, 'ml'), 'Server', SERVER);
  app.synth();
  expect(fs.readFileSync(path.join(outdir, 'ml.k8s.yaml'), 'utf8')).toContain('kind: HorizontalPodAutoscaler');
});

test('a rule relating objects sees hand-added objects: a Service that selects no pod', () => {
  const app = new App({ outdir });
  const chart = new Chart(app, 'ml');
  new ModelServing(chart, 'Server', SERVER);
  new ApiObject(chart, 'Stray', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'stray', namespace: 'ml' }, spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] } });
  expect(() => app.synth()).toThrow(/\[ml\] ml\/Stray: Service ml\/stray: spec\.selector: \[SERVICE-SELECTOR\]/);
});

test('a warning (a literal Secret) does not fail app.synth()', () => {
  const app = new App({ outdir });
  const chart = new Chart(app, 'ml');
  new ModelServing(chart, 'Server', SERVER);
  new ApiObject(chart, 'Settings', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'settings', namespace: 'ml' }, stringData: { mode: 'fast' } });
  app.synth();
  expect(fs.readdirSync(outdir)).toEqual(['ml.k8s.yaml']);
});
