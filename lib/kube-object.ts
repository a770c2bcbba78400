import { ApiObject, App, type GroupVersionKind, ImplicitTokenResolver, JsonPatch, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { Construct } from 'constructs';

/** Kubernetes object metadata, as kubernetes-models types it. */
export type ObjectMeta = NonNullable<INamespace['metadata']>;

/** What every Kubernetes object has: its apiVersion, kind and metadata. */
export interface TypeMeta {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: ObjectMeta;
}

/**
 * A Kubernetes object written as its JSON, typed by `T` (a kubernetes-models
 * interface such as IDeployment): an ApiObject whose `toJson()` gives exactly
 * what ApiObject's does, in a single pass when it can.
 *
 * ApiObject.toJson() copies the object twice (token resolution, then removal of
 * empty values with sorted keys), and cdk8s-plus's generated classes copy it a
 * third time to rename their props. Objects built from workload files hold no
 * tokens, and the app has only cdk8s's own resolvers, which change nothing but
 * tokens: then one copy that removes empty values and sorts keys is the same
 * result. Anything else (a Lazy, an object with a resolve() method, a class
 * instance, an app with resolvers of its own, CDK8S_DISABLE_SORT) goes
 * through ApiObject.toJson() unchanged. test/kube-object.test.ts holds the two
 * to the same output.
 */
export class KubeObject<T extends TypeMeta = TypeMeta> extends ApiObject {
  private readonly body: object;
  private readonly jsonPatches: JsonPatch[] = [];

  public constructor(scope: Construct, id: string, props: T) {
    super(scope, id, props);
    this.body = props;
  }

  public override addJsonPatch(...ops: JsonPatch[]): void {
    super.addJsonPatch(...ops);
    this.jsonPatches.push(...ops);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ApiObject.toJson()'s own signature
  public override toJson(): any {
    try {
      if (!process.env.CDK8S_DISABLE_SORT && hasOnlyDefaultResolvers(App.of(this))) return this.plainJson();
    } catch {
      // Not plain data, or a patch that fails: ApiObject.toJson() resolves it, or reports the error as it always has.
    }
    return super.toJson();
  }

  /** ApiObject.toJson() for an object of plain data, in one copy. */
  private plainJson(): Record<string, unknown> {
    const json = plainCopy({ ...this.body, metadata: this.metadata.toJson() }) as Record<string, unknown>;
    const patched = this.jsonPatches.length > 0 ? JsonPatch.apply(json, ...this.jsonPatches) as Record<string, unknown> : json;
    // apiVersion, kind and metadata first, as ApiObject.toJson() orders them.
    const result: Record<string, unknown> = {};
    for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) {
      if (key in patched) result[key] = patched[key];
    }
    return result;
  }
}

/**
 * A custom resource built from the props of the class `cdk8s import` generated
 * from its CRD, turned into JSON by that class's generated `toJson_` function
 * (which renames props to the CRD's fields and unwraps number-or-string
 * values), as a KubeObject: the generated class would copy the object three
 * times to render it.
 */
export function importedObject<P>(scope: Construct, id: string, generated: { readonly GVK: GroupVersionKind }, toJson: (props: P) => Record<string, unknown> | undefined, props: P): KubeObject {
  return new KubeObject(scope, id, { ...generated.GVK, ...toJson(props) });
}

class NotPlain extends Error {}

/** True when `app` resolves values with cdk8s's built-in resolvers only, which change nothing but tokens. */
function hasOnlyDefaultResolvers(app: App): boolean {
  const [lazy, implicit, union, ...more] = app.resolvers;
  return more.length === 0 && lazy instanceof LazyResolver && implicit instanceof ImplicitTokenResolver && union instanceof NumberStringUnionResolver;
}

/**
 * `sanitizeValue(resolve(value))` of cdk8s for plain data: a copy without null
 * or undefined map values, keys sorted. Throws NotPlain at anything a built-in
 * resolver could replace or sanitizeValue would reject.
 */
function plainCopy(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'function') throw new NotPlain();
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plainCopy);
  const record = value as Record<string, unknown>;
  if (record.constructor !== Object || typeof record.resolve === 'function') throw new NotPlain();
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    const item = plainCopy(record[key]);
    if (item !== undefined && item !== null) copy[key] = item;
  }
  return copy;
}
