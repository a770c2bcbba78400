import { ApiObject, ApiObjectMetadataDefinition, type App, Chart, JsonPatch, Lazy, type IResolver, type ResolutionContext } from 'cdk8s';
import { KubeObject } from '../../lib/kube/kube-object';
import { ModelServing } from '../../lib/serving/model-serving';
import { testApp } from '../helpers';

// KubeObject.toJson() must give what ApiObject.toJson() gives for the same props, taking its
// one-copy path for plain data and ApiObject's own path for anything else.

const plainSpec = () => ({
  zeta: 1,
  alpha: { b: [{ y: 2, x: null }, 'text', null, undefined, 0, false], a: undefined, c: {} },
  empty: [],
  nothing: null,
});

function pair(props: Record<string, unknown>, options: { app?: App; patches?: JsonPatch[]; chart?: { namespace?: string; labels?: Record<string, string> } } = {}) {
  const chart = new Chart(options.app ?? testApp(), 'Chart', options.chart);
  const base = { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'thing', labels: { b: '2', a: '1' } } };
  const reference = new ApiObject(chart, 'Reference', { ...base, ...props });
  const kube = new KubeObject(chart, 'Kube', { ...base, ...props });
  for (const patch of options.patches ?? []) {
    reference.addJsonPatch(patch);
    kube.addJsonPatch(patch);
  }
  return { reference, kube };
}

// cdk8s's token resolution, which ApiObject.toJson() and ApiObjectMetadataDefinition.toJson() run and the one-copy path does not.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdk8sResolve = require('cdk8s/lib/resolve') as { resolve: (...args: unknown[]) => unknown };

/** The JSON of `object`, whether it went through ApiObject.toJson(), and whether cdk8s resolved anything of it (its metadata included). */
function render(object: KubeObject): { json: unknown; fellBack: boolean; resolvedByCdk8s: boolean } {
  const spy = jest.spyOn(ApiObject.prototype, 'toJson');
  const resolveSpy = jest.spyOn(cdk8sResolve, 'resolve');
  try {
    const json = object.toJson();
    return { json, fellBack: spy.mock.calls.length > 0, resolvedByCdk8s: resolveSpy.mock.calls.length > 0 };
  } finally {
    spy.mockRestore();
    resolveSpy.mockRestore();
  }
}

/** Serialized, so that key order counts. */
const text = (json: unknown) => JSON.stringify(json);

/** Paths of the maps below the top level whose keys are not sorted. */
function unsortedMaps(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => unsortedMaps(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const keys = Object.keys(value);
  const here = path !== '' && keys.join() !== [...keys].sort().join() ? [path] : [];
  return [...here, ...keys.flatMap((key) => unsortedMaps((value as Record<string, unknown>)[key], `${path}.${key}`))];
}

/** A function property that Object.keys does not list, as a class's resolve() method would be. */
function withHiddenResolve<T extends object>(value: T, resolved: unknown): T {
  return Object.defineProperty(value, 'resolve', { value: () => resolved, enumerable: false });
}

describe('KubeObject.toJson', () => {
  test('plain data: the same JSON, key order included, in one copy', () => {
    // `data` sorts before `kind`: apiVersion, kind and metadata still come first.
    const { reference, kube } = pair({ spec: plainSpec(), data: { b: 1, a: 2 } });
    const { json, fellBack } = render(kube);
    expect(text(json)).toBe(text(reference.toJson()));
    expect(Object.keys(json as object)).toEqual(['apiVersion', 'kind', 'metadata', 'data', 'spec']);
    expect(fellBack).toBe(false);
  });

  test('JSON patches apply as on an ApiObject, patched-in keys in their sorted place, without leaving the one-copy path', () => {
    const patches = [JsonPatch.add('/spec/beta', { z: 1, a: null }), JsonPatch.remove('/spec/zeta'), JsonPatch.replace('/metadata/name', 'renamed')];
    const { reference, kube } = pair({ spec: plainSpec(), data: {} }, { patches });
    const { json, fellBack } = render(kube);
    expect(json).toEqual(reference.toJson());
    expect(Object.keys(json as object)).toEqual(['apiVersion', 'kind', 'metadata', 'data', 'spec']);
    expect(Object.keys((json as { spec: object }).spec)).toEqual(['alpha', 'beta', 'empty']);
    expect(unsortedMaps(json)).toEqual([]);
    expect(fellBack).toBe(false);
  });

  test("the README's patch of a model server lands in its sorted place in the pod spec", () => {
    const server = new ModelServing(new Chart(testApp(), 'Chart'), 'Server', { name: 'web', image: 'example.com/web:1.0.0' });
    server.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'ml-critical'));
    const podSpec = server.deployment.toJson().spec.template.spec;
    expect(podSpec.priorityClassName).toBe('ml-critical');
    expect(Object.keys(podSpec)).toEqual([...Object.keys(podSpec)].sort());
  });

  test('labels and annotations added after construction are in the output', () => {
    const { reference, kube } = pair({ spec: plainSpec() });
    for (const object of [reference, kube]) {
      object.metadata.addLabel('added', 'yes');
      object.metadata.addAnnotation('note', 'kept');
    }
    expect(text(render(kube).json)).toBe(text(reference.toJson()));
  });

  test("metadata renders as ApiObjectMetadataDefinition.toJson() does (the chart's namespace and labels, empty lists and maps dropped) without calling it", () => {
    const { reference, kube } = pair({ spec: plainSpec() }, { chart: { namespace: 'ml', labels: { team: 'risk', a: '0' } } });
    for (const object of [reference, kube]) {
      object.metadata.addFinalizers('example.com/keep');
      object.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '1', controller: undefined });
      object.metadata.addOwnerReference({} as never);
      object.metadata.add('generateName', 'thing-');
      object.metadata.add('extra', { empty: {}, list: [], kept: { z: 1, a: [] } });
    }
    const { json, fellBack, resolvedByCdk8s } = render(kube);
    expect(text(json)).toBe(text(reference.toJson()));
    expect((json as { metadata: Record<string, unknown> }).metadata).toEqual(expect.objectContaining({
      namespace: 'ml', labels: { a: '1', b: '2', team: 'risk' }, extra: { kept: { z: 1 } }, finalizers: ['example.com/keep'],
    }));
    expect(fellBack).toBe(false);
    expect(resolvedByCdk8s).toBe(false);
  });

  // Each row: what is changed on the metadata, and the metadata given at construction.
  test.each([
    ['a toJson() of its own', (metadata: ApiObjectMetadataDefinition) => Object.defineProperty(metadata, 'toJson', { value: () => ({ name: 'own' }) }), undefined],
    ['a field cdk8s 2.70 does not have', (metadata: ApiObjectMetadataDefinition) => Object.assign(metadata, { generation: 7 }), undefined],
    ['a __proto__ key', () => undefined, JSON.parse('{"name": "thing", "__proto__": {"hidden": true}}') as object],
  ])('metadata with %s goes through ApiObject.toJson()', (_, change, metadata) => {
    const { reference, kube } = pair({ spec: plainSpec(), ...(metadata ? { metadata } : {}) });
    for (const object of [reference, kube]) change(object.metadata);
    const { json, fellBack } = render(kube);
    expect(text(json)).toBe(text(reference.toJson()));
    expect(fellBack).toBe(true);
  });

  test('a replaced ApiObjectMetadataDefinition.toJson() is used, as ApiObject.toJson() uses it', () => {
    const { reference, kube } = pair({ spec: plainSpec() });
    const replaced = jest.spyOn(ApiObjectMetadataDefinition.prototype, 'toJson').mockReturnValue({ name: 'replaced' });
    try {
      expect(kube.toJson().metadata).toEqual({ name: 'replaced' });
      expect(text(kube.toJson())).toBe(text(reference.toJson()));
    } finally {
      replaced.mockRestore();
    }
  });

  test.each([
    ['a Lazy value', () => ({ spec: { replicas: Lazy.any({ produce: () => 3 }) } })],
    ['an object with a resolve() method', () => ({ spec: { token: withHiddenResolve({ placeholder: true }, 'resolved') } })],
    ['a list with a resolve() method', () => ({ spec: { list: withHiddenResolve(['placeholder'], ['resolved']) } })],
    ['a list with a number-or-string value', () => ({ spec: { list: Object.assign([1, 2], { value: 'x' }) } })],
    ['a number-or-string union instance', () => ({ spec: { port: new (class Union { constructor(readonly value: number) {} })(8080) } })],
    ['a __proto__ key', () => ({ spec: JSON.parse('{"__proto__": {"hidden": true}, "shown": 1}') as object })],
  ])('%s is resolved by ApiObject.toJson()', (_, props) => {
    const { reference, kube } = pair(props());
    const { json, fellBack } = render(kube);
    expect(text(json)).toBe(text(reference.toJson()));
    expect(fellBack).toBe(true);
  });

  test('an app with resolvers of its own gets them applied', () => {
    const upper: IResolver = {
      resolve(context: ResolutionContext) {
        if (typeof context.value === 'string' && context.value.startsWith('secret:')) context.replaceValue(context.value.slice(7).toUpperCase());
      },
    };
    const { reference, kube } = pair({ spec: { password: 'secret:abc' } }, { app: testApp({ resolvers: [upper] }) });
    const { json, fellBack } = render(kube);
    expect((json as { spec: { password: string } }).spec.password).toBe('ABC');
    expect(text(json)).toBe(text(reference.toJson()));
    expect(fellBack).toBe(true);
  });

  test('CDK8S_DISABLE_SORT keeps keys in the order they were given, patched-in ones last', () => {
    const saved = process.env.CDK8S_DISABLE_SORT;
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const { reference, kube } = pair({ spec: plainSpec() }, { patches: [JsonPatch.add('/spec/beta', 1)] });
      expect(text(render(kube).json)).toBe(text(reference.toJson()));
    } finally {
      if (saved === undefined) delete process.env.CDK8S_DISABLE_SORT;
      else process.env.CDK8S_DISABLE_SORT = saved;
    }
  });

  test.each([
    ['a class instance', () => ({ spec: { when: new Date(0) } }), [], "Error: can't render non-simple object of type 'Date'"],
    ['a patch that cannot apply', () => ({ spec: {} }), [JsonPatch.replace('/spec/missing/deeper', 1)], "TypeError: Cannot read properties of undefined (reading 'deeper')"],
  ])('%s fails with the error ApiObject.toJson() gives', (_, props, patches, cause) => {
    const { kube } = pair(props(), { patches });
    expect(() => kube.toJson()).toThrow(`Failed serializing construct at path 'Chart/Kube' with name 'thing': ${cause}`);
  });
});
