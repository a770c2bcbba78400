import type { GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';
import { KubeObject } from './kube-object';

/**
 * A custom resource built from the props of the class `cdk8s import` generated
 * from its CRD, turned into JSON at once by that class's generated `toJson_`
 * function (which renames props to the CRD's fields and unwraps
 * number-or-string values), as a KubeObject: the generated class would copy
 * the object three times to render it. For cdk8s-ml's own objects, whose
 * props are plain data (no tokens) and not changed after construction; not
 * exported from the library.
 */
export function importedObject<P>(scope: Construct, id: string, generated: { readonly GVK: GroupVersionKind }, toJson: (props: P) => Record<string, unknown> | undefined, props: P): KubeObject {
  return new KubeObject(scope, id, { ...generated.GVK, ...toJson(props) });
}
