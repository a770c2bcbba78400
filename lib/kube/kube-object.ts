import { ApiObject, ApiObjectMetadataDefinition, App, ImplicitTokenResolver, JsonPatch, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { Construct } from 'constructs';

/** Kubernetes object metadata, as kubernetes-models types it (its own package is only kubernetes-models' dependency). */
export type ObjectMeta = NonNullable<INamespace['metadata']>;

/** What every Kubernetes object has: its apiVersion, kind and metadata. */
export interface TypeMeta {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: ObjectMeta;
}

/**
 * A Kubernetes object written as its JSON, typed by `T` (a kubernetes-models
 * interface such as IDeployment). `toJson()` gives what ApiObject's gives,
 * except that keys are sorted again after JSON patches, so that a patched-in
 * field takes its sorted place (as it did in cdk8s-plus's generated classes).
 *
 * ApiObject.toJson() copies the object twice (token resolution, then a copy
 * without empty values and with sorted keys); cdk8s-plus's generated classes
 * copy it a third time to rename their props. Objects built from workload
 * files hold no tokens, and the app has only cdk8s's own resolvers, which
 * change nothing but tokens: then one copy that drops empty values and sorts
 * keys is the same result. Anything else (a Lazy or other token, a class
 * instance, an app with resolvers of its own, CDK8S_DISABLE_SORT) goes through
 * ApiObject.toJson(). test/kube/kube-object.test.ts compares the two.
 *
 * The metadata takes the same path: cdk8s's ApiObjectMetadataDefinition keeps
 * labels, annotations and the rest in fields it does not expose, which the
 * one-copy path reads when they are there as cdk8s 2.70 has them (else it
 * renders through ApiObject.toJson() too; the tests check the path taken).
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
    const sorted = !process.env.CDK8S_DISABLE_SORT;
    let json: Record<string, unknown> | undefined;
    try {
      if (sorted && hasOnlyDefaultResolvers(App.of(this))) json = this.plainJson();
    } catch {
      // Not plain data, a patch that fails, no App: ApiObject.toJson() renders it, or throws its own error.
    }
    json ??= super.toJson() as Record<string, unknown>;
    if (!sorted) return json;
    return typeMetaFirst(this.jsonPatches.length > 0 ? sortedCopy(json) as Record<string, unknown> : json);
  }

  /** ApiObject.toJson() for an object of plain data, in one copy (before the top-level order). */
  private plainJson(): Record<string, unknown> {
    const json = plainCopy(this.body, false, 'metadata') as Record<string, unknown>;
    // The metadata goes without empty lists and maps, as ApiObjectMetadataDefinition.toJson() drops them.
    const metadata = plainCopy(metadataFields(this.metadata), true);
    if (metadata !== undefined) json.metadata = metadata;
    return this.jsonPatches.length > 0 ? JsonPatch.apply(json, ...this.jsonPatches) as Record<string, unknown> : json;
  }
}

class NotPlain extends Error {}

/** What ApiObjectMetadataDefinition keeps and does not expose, as cdk8s 2.70 names it. */
interface MetadataFields {
  readonly _additionalAttributes?: unknown;
  readonly labels?: unknown;
  readonly annotations?: unknown;
  readonly finalizers?: unknown;
  readonly ownerReferences?: unknown;
}

/** Every field of an ApiObjectMetadataDefinition of cdk8s 2.70; one more (a later cdk8s) and its toJson() may render it. */
const METADATA_FIELDS = new Set(['name', 'namespace', 'labels', 'annotations', 'finalizers', 'ownerReferences', 'apiObject', '_additionalAttributes']);
/** The toJson() this renders the same as: another one (replaced, mocked) is left to render. */
const METADATA_TO_JSON = ApiObjectMetadataDefinition.prototype.toJson;

/**
 * The object ApiObjectMetadataDefinition.toJson() renders, before it resolves
 * and sanitizes it. Throws NotPlain when `metadata` is not one as cdk8s 2.70
 * makes it (a subclass, a toJson of its own or replaced, other fields).
 */
function metadataFields(metadata: ApiObjectMetadataDefinition): Record<string, unknown> {
  const { _additionalAttributes: additional, labels, annotations, finalizers, ownerReferences } = metadata as unknown as MetadataFields;
  const fields = Object.keys(metadata);
  if (Object.getPrototypeOf(metadata) !== ApiObjectMetadataDefinition.prototype || metadata.toJson !== METADATA_TO_JSON
    || fields.length !== METADATA_FIELDS.size || !fields.every((field) => METADATA_FIELDS.has(field))
    || !isPlainMap(additional) || !isPlainMap(labels) || !isPlainMap(annotations) || !Array.isArray(finalizers) || !Array.isArray(ownerReferences)) {
    throw new NotPlain();
  }
  // A loop, not a spread: cdk8s deletes a key of `additional`, and spreading such an object is slow.
  const rendered: Record<string, unknown> = {};
  for (const key of Object.keys(additional)) {
    if (key === '__proto__') throw new NotPlain();
    rendered[key] = additional[key];
  }
  rendered.name = metadata.name;
  rendered.namespace = metadata.namespace;
  rendered.annotations = annotations;
  rendered.finalizers = finalizers;
  rendered.ownerReferences = ownerReferences;
  rendered.labels = labels;
  return rendered;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

/** True when `app` resolves values with cdk8s's built-in resolvers only, which change nothing but tokens. */
function hasOnlyDefaultResolvers(app: App): boolean {
  const [lazy, implicit, union, ...more] = app.resolvers;
  return more.length === 0 && lazy instanceof LazyResolver && implicit instanceof ImplicitTokenResolver && union instanceof NumberStringUnionResolver;
}

/**
 * `sanitizeValue(resolve(value))` of cdk8s for plain data: a copy without null
 * or undefined map values, keys sorted, and with `dropEmpty` without empty
 * lists and maps either (sanitizeValue's filterEmptyArrays and
 * filterEmptyObjects). Throws NotPlain at anything a built-in resolver could
 * replace (an object or array with a resolve() method, a non-plain object or
 * an array with a number or string `value`, a function) or that sanitizeValue
 * would reject, and at a `__proto__` key. `skip` is a top-level key left out.
 */
function plainCopy(value: unknown, dropEmpty: boolean, skip?: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'function') throw new NotPlain();
  if (typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record.resolve === 'function') throw new NotPlain();
  if (Array.isArray(value)) {
    if (typeof record.value === 'number' || typeof record.value === 'string') throw new NotPlain();
    if (dropEmpty && value.length === 0) return undefined;
    return value.map((item) => plainCopy(item, dropEmpty));
  }
  if (record.constructor !== Object) throw new NotPlain();
  const copy: Record<string, unknown> = {};
  let empty = true;
  for (const key of Object.keys(record).sort()) {
    if (key === '__proto__') throw new NotPlain();
    if (key === skip) continue;
    const item = plainCopy(record[key], dropEmpty);
    if (item !== undefined && item !== null) {
      copy[key] = item;
      empty = false;
    }
  }
  return dropEmpty && empty ? undefined : copy;
}

/** `object` with apiVersion, kind and metadata first, as ApiObject.toJson() orders them, the rest as they are. */
function typeMetaFirst(object: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(object)]) {
    if (key in object) result[key] = object[key];
  }
  return result;
}

/** A copy of JSON data with the keys of every map sorted; nothing dropped. */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) copy[key] = sortedCopy(record[key]);
  return copy;
}
