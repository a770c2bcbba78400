import { ApiObject, App, Chart, JsonPatch, Lazy, type ResolutionContext, type IResolver } from 'cdk8s';
import { ScaledObject, ScaledObjectSpecAdvancedHorizontalPodAutoscalerConfigBehaviorScaleDownTolerance as Tolerance, toJson_ScaledObjectProps } from '../imports/scaledobject-keda.sh';
import { toJson_TriggerAuthenticationProps, TriggerAuthentication, TriggerAuthenticationSpecPodIdentityProvider } from '../imports/triggerauthentication-keda.sh';
import { importedObject, KubeObject } from '../lib/kube-object';

// KubeObject.toJson() must give exactly what ApiObject.toJson() gives for the same props,
// taking its one-copy path for plain data and ApiObject's own path for anything else.

const plainSpec = () => ({
  zeta: 1,
  alpha: { b: [{ y: 2, x: null }, 'text', null, undefined, 0, false], a: undefined, c: {} },
  empty: [],
  nothing: null,
});

function pair(props: Record<string, unknown>, options: { app?: App; patches?: JsonPatch[] } = {}) {
  const chart = new Chart(options.app ?? new App(), 'Chart');
  const base = { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'thing', labels: { b: '2', a: '1' } } };
  const reference = new ApiObject(chart, 'Reference', { ...base, ...props });
  const kube = new KubeObject(chart, 'Kube', { ...base, ...props });
  for (const patch of options.patches ?? []) {
    reference.addJsonPatch(patch);
    kube.addJsonPatch(patch);
  }
  return { reference, kube };
}

/** The JSON of `kube`, and whether it went through ApiObject.toJson(). */
function render(kube: KubeObject): { json: unknown; fellBack: boolean } {
  const spy = jest.spyOn(ApiObject.prototype, 'toJson');
  try {
    const json = kube.toJson();
    return { json, fellBack: spy.mock.calls.length > 0 };
  } finally {
    spy.mockRestore();
  }
}

/** Serialized, so that key order counts. */
const text = (json: unknown) => JSON.stringify(json);

describe('KubeObject.toJson', () => {
  test('plain data: the same JSON, key order included, in one copy', () => {
    const { reference, kube } = pair({ spec: plainSpec() });
    const { json, fellBack } = render(kube);
    expect(text(json)).toBe(text(reference.toJson()));
    expect(Object.keys(json as object)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(fellBack).toBe(false);
  });

  test('JSON patches apply as on an ApiObject, without leaving the one-copy path', () => {
    const patches = [JsonPatch.add('/spec/added', { z: 1, a: 2 }), JsonPatch.remove('/spec/zeta'), JsonPatch.replace('/metadata/name', 'renamed')];
    const { reference, kube } = pair({ spec: plainSpec() }, { patches });
    const { json, fellBack } = render(kube);
    expect(text(json)).toBe(text(reference.toJson()));
    expect(fellBack).toBe(false);
  });

  test('labels and annotations added after construction are in the output', () => {
    const { reference, kube } = pair({ spec: plainSpec() });
    for (const object of [reference, kube]) {
      object.metadata.addLabel('added', 'yes');
      object.metadata.addAnnotation('note', 'kept');
    }
    expect(text(render(kube).json)).toBe(text(reference.toJson()));
  });

  test.each([
    ['a Lazy value', () => ({ spec: { replicas: Lazy.any({ produce: () => 3 }) } })],
    ['an object with a resolve() method', () => ({ spec: { token: { resolve: () => 'resolved' } } })],
    ['a number-or-string union instance', () => ({ spec: { port: new (class Union { constructor(readonly value: number) {} })(8080) } })],
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
    const { reference, kube } = pair({ spec: { password: 'secret:abc' } }, { app: new App({ resolvers: [upper] }) });
    const { json, fellBack } = render(kube);
    expect((json as { spec: { password: string } }).spec.password).toBe('ABC');
    expect(text(json)).toBe(text(reference.toJson()));
    expect(fellBack).toBe(true);
  });

  test('CDK8S_DISABLE_SORT keeps keys in the order they were given', () => {
    const saved = process.env.CDK8S_DISABLE_SORT;
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const { reference, kube } = pair({ spec: plainSpec() });
      expect(text(render(kube).json)).toBe(text(reference.toJson()));
    } finally {
      if (saved === undefined) delete process.env.CDK8S_DISABLE_SORT;
      else process.env.CDK8S_DISABLE_SORT = saved;
    }
  });

  test.each([
    ['a class instance', () => ({ spec: { when: new Date(0) } }), []],
    ['a patch that cannot apply', () => ({ spec: {} }), [JsonPatch.replace('/spec/missing/deeper', 1)]],
  ])('%s fails with the error ApiObject.toJson() gives', (_, props, patches) => {
    const { reference, kube } = pair(props(), { patches });
    const error = (object: ApiObject) => {
      try {
        object.toJson();
      } catch (e) {
        return String(e).replace(/Reference/g, 'Kube');
      }
      throw new Error('expected toJson() to fail');
    };
    expect(error(kube)).toBe(error(reference));
  });

  test('a custom resource from its generated class\'s props renders as that class does, renamed fields and wrapped values included', () => {
    const chart = new Chart(new App(), 'Chart');
    const metadata = { name: 'w', namespace: 'ml', labels: { app: 'w' } };
    const scaled = {
      metadata,
      spec: {
        scaleTargetRef: { name: 'w' },
        triggers: [{ type: 'cpu', metadata: { value: '50' } }],
        advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { tolerance: Tolerance.fromString('0.1'), stabilizationWindowSeconds: 60 } } } },
      },
    };
    // externalId is written externalID: the generated toJson_ renames it.
    const auth = { metadata, spec: { podIdentity: { provider: TriggerAuthenticationSpecPodIdentityProvider.AWS, externalId: 'ext', roleArn: 'arn' } } };
    const pairs: [ApiObject, KubeObject][] = [
      [new ScaledObject(chart, 'ScaledObject', scaled), importedObject(chart, 'ScaledObjectJson', ScaledObject, toJson_ScaledObjectProps, scaled)],
      [new TriggerAuthentication(chart, 'Auth', auth), importedObject(chart, 'AuthJson', TriggerAuthentication, toJson_TriggerAuthenticationProps, auth)],
    ];
    for (const [generated, imported] of pairs) {
      const { json, fellBack } = render(imported);
      expect(text(json)).toBe(text(generated.toJson()));
      expect(fellBack).toBe(false);
    }
    expect(text(pairs[1][1].toJson())).toContain('"externalID":"ext"');
    expect(text(pairs[0][1].toJson())).toContain('"tolerance":"0.1"');
  });
});
