// Kubernetes' name syntax (k8s.io/apimachinery/pkg/util/validation), shared by the
// workload schema, the labels cdk8s-ml writes and the validation of any manifest.
import { isIP } from 'node:net';
import { remembered } from '../util/remembered';

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A DNS-1035 label: lowercase alphanumerics and '-', starting with a letter, at most 63 (Service names). */
export function isDns1035Label(value: string): boolean {
  return value.length <= 63 && DNS1035_LABEL.test(value);
}

/** A DNS-1123 label: lowercase alphanumerics and '-', alphanumeric at both ends, at most 63 (namespaces). */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A DNS-1123 subdomain: dot-separated DNS-1123 labels, at most 253 (most object names). */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** A label value (or the name part of a qualified name): at most 63 alphanumerics, '-', '_' or '.', alphanumeric at both ends. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && QUALIFIED_NAME.test(value);
}

/** A label or annotation key: `[prefix/]name` with a DNS subdomain prefix. Each key is checked once (app.kubernetes.io/name is on every object). */
export const isQualifiedName: (key: string) => boolean = remembered((key: string) => {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  return (prefix === undefined || isDns1123Subdomain(prefix)) && isLabelValue(name);
});

/** An IPv4 or IPv6 block in CIDR notation, e.g. `10.0.0.0/8` or `fd00::/8`, as NetworkPolicy ipBlock takes it. */
export function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const address = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  const version = isIP(address);
  if (version === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}
