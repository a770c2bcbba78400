import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { IGNORE_ANNOTATION_PREFIX, ModelServing, type ModelServingProps } from '../../lib';

// A chart composed in TypeScript gets the checks of `npm run validate` on app.synth().
// Every test that expects a synth to pass also shows the gate is there (a violation
// fails the same chart), so none of them passes without it.

let outdir: string;
beforeEach(() => { outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-gate-')); });
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

const SERVER: ModelServingProps = { name: 'fraud-detector', namespace: 'ml', image: 'registry.example.com/fraud-detector:1.4.2' };

/** A chart with one model server, its image re-tagged `latest` through a JSON patch. */
function latestThroughPatch(props: Partial<ModelServingProps> = {}): { app: App; chart: Chart; server: ModelServing } {
  const app = new App({ outdir });
  const chart = new Chart(app, 'ml');
  const server = new ModelServing(chart, 'Server', { ...SERVER, ...props });
  server.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/image', 'registry.example.com/fraud-detector:latest'));
  return { app, chart, server };
}

/** A hand-added Service whose selector matches no pod of the chart. */
function addStrayService(chart: Chart): void {
  new ApiObject(chart, 'Stray', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'stray', namespace: 'ml' }, spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] } });
}

const IMAGE_VIOLATION = "[ml] ml/Server/Deployment: Deployment ml/fraud-detector: spec.template.spec.containers[0].image: [IMAGE-PINNED] container 'model-server': 'registry.example.com/fraud-detector:latest' uses ':latest'";
const STRAY_VIOLATION = /\[ml\] ml\/Stray: Service ml\/stray: spec\.selector: \[SERVICE-SELECTOR\]/;

test('fails app.synth() on a violation added after construction (a JSON patch), with the rule, the object, the field and the fix', () => {
  expect(() => latestThroughPatch().app.synth()).toThrow('Validation failed with the following errors:');
  expect(() => latestThroughPatch().app.synth()).toThrow(IMAGE_VIOLATION);
  expect(() => latestThroughPatch().app.synth()).toThrow(/\n {4}fix: /);
  expect(() => latestThroughPatch().app.synthYaml()).toThrow(IMAGE_VIOLATION);
  expect(() => latestThroughPatch().chart.toJson()).toThrow(IMAGE_VIOLATION);
  expect(fs.readdirSync(outdir)).toEqual([]);
});

test('the rule suppressed with policy.ignore and a reason synthesizes', () => {
  expect(() => latestThroughPatch().app.synth()).toThrow(IMAGE_VIOLATION);
  latestThroughPatch({ policy: { ignore: [{ rule: 'IMAGE-PINNED', reason: 'a dev chart that follows latest' }] } }).app.synth();
  expect(fs.readdirSync(outdir)).toEqual(['ml.k8s.yaml']);
});

test('the rule suppressed with the ignore annotation on the object synthesizes', () => {
  expect(() => latestThroughPatch().app.synth()).toThrow(IMAGE_VIOLATION);
  const { app, server } = latestThroughPatch();
  server.deployment.metadata.addAnnotation(`${IGNORE_ANNOTATION_PREFIX}IMAGE-PINNED`, 'a dev chart that follows latest');
  app.synth();
  expect(fs.readdirSync(outdir)).toEqual(['ml.k8s.yaml']);
});

test('validation: false leaves the workload out of the gate', () => {
  expect(() => latestThroughPatch().app.synth()).toThrow(IMAGE_VIOLATION);
  latestThroughPatch({ validation: false }).app.synth();
  expect(fs.readdirSync(outdir)).toEqual(['ml.k8s.yaml']);
});

/** A second HPA on the workload's Deployment, added by hand: ONE-AUTOSCALER reports the workload's Deployment. */
function addSecondAutoscaler(chart: Chart, target = SERVER.name): void {
  new ApiObject(chart, 'ExtraHpa', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'extra', namespace: 'ml' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 1, maxReplicas: 3 } });
}

const TWO_AUTOSCALERS = /\[ml\] ml\/Server\/Deployment: Deployment ml\/fraud-detector: metadata\.name: \[ONE-AUTOSCALER\]/;

test('a workload with validation: false is left out, and still seen by the rules relating objects', () => {
  const { app, chart } = latestThroughPatch({ validation: false });
  // A second, checked workload installs the gate.
  new ModelServing(chart, 'Other', { ...SERVER, name: 'other' });
  app.synth();
  expect(fs.readdirSync(outdir)).toEqual(['ml.k8s.yaml']);
  // The exempt workload's objects are in view: a hand-added HPA on 'other' makes two autoscalers there.
  addSecondAutoscaler(chart, 'other');
  expect(() => app.synth()).toThrow(/\[ml\] ml\/Other\/Deployment: Deployment ml\/other: metadata\.name: \[ONE-AUTOSCALER\]/);
  expect(() => app.synth()).not.toThrow('IMAGE-PINNED');
});

test('a clean chart synthesizes, and is checked', () => {
  const app = new App({ outdir });
  const chart = new Chart(app, 'ml');
  const server = new ModelServing(chart, 'Server', SERVER);
  app.synth();
  expect(fs.readFileSync(path.join(outdir, 'ml.k8s.yaml'), 'utf8')).toContain('kind: HorizontalPodAutoscaler');
  server.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/image', 'registry.example.com/fraud-detector:latest'));
  expect(() => app.synth()).toThrow(IMAGE_VIOLATION);
});

test('objects added by hand are seen by the rules relating objects, and reported only through the workload\'s', () => {
  const app = new App({ outdir });
  const chart = new Chart(app, 'ml');
  new ModelServing(chart, 'Server', SERVER);
  // A Service of the user's own that selects nothing is not the workload's to report: synth goes on.
  addStrayService(chart);
  app.synth();
  // A hand-added HPA on the workload's Deployment makes two autoscalers there: the Deployment is reported.
  addSecondAutoscaler(chart);
  expect(() => app.synth()).toThrow(TWO_AUTOSCALERS);
  expect(() => app.synth()).not.toThrow(STRAY_VIOLATION);
});

test('a nested chart\'s workload is reported once, by its own chart', () => {
  const app = new App({ outdir });
  const outer = new Chart(app, 'outer');
  new ModelServing(outer, 'Front', { ...SERVER, name: 'front' });
  const inner = new Chart(outer, 'inner');
  const server = new ModelServing(inner, 'Server', SERVER);
  server.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/image', 'registry.example.com/fraud-detector:latest'));
  let message = '';
  try {
    app.synth();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message.match(/IMAGE-PINNED/g)).toHaveLength(1);
  expect(message).toContain('outer/inner/Server/Deployment');
});

test('a warning (a literal Secret) does not fail app.synth(), nor appear among the errors', () => {
  const { app, chart } = latestThroughPatch({ policy: { ignore: [{ rule: 'IMAGE-PINNED', reason: 'a dev chart that follows latest' }] } });
  new ApiObject(chart, 'Settings', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'settings', namespace: 'ml' }, stringData: { mode: 'fast' } });
  app.synth();
  expect(fs.readdirSync(outdir)).toEqual(['ml.k8s.yaml']);
  addSecondAutoscaler(chart);
  expect(() => app.synth()).toThrow(TWO_AUTOSCALERS);
  expect(() => app.synth()).not.toThrow('ml/Settings');
});

