// The image reference grammar of distribution/reference (what the kubelet parses):
// [domain[:port]/]path[:tag][@digest], with a lowercase path.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^[\w][\w.-]{0,127}$/;
// The kubelet accepts sha256 and sha512 digests in lowercase hex.
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/** The tag of an image reference, if any (a registry port is not a tag). */
export function imageTag(image: string): string | undefined {
  const ref = image.split('@')[0];
  const lastSegment = ref.slice(ref.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon >= 0 ? lastSegment.slice(colon + 1) : undefined;
}

/**
 * Why an image reference cannot be deployed reproducibly, or undefined when it
 * can: it must parse, and carry a tag other than `latest` or a digest, so that
 * a Git commit pins what runs.
 */
export function imageProblem(image: string): string | undefined {
  const [ref, digest, ...rest] = image.split('@');
  const tag = imageTag(ref);
  const name = tag === undefined ? ref : ref.slice(0, -(tag.length + 1));
  if (!NAME.test(name)) {
    return `'${image}' is not a valid image reference; the repository path must be lowercase letters, digits and separators, as in registry.example.com/ml/server:1.4.2`;
  }
  if (rest.length > 0 || (digest !== undefined && !DIGEST.test(digest))) {
    return `'${image}' has a malformed digest; write it as image@sha256:<64 hex digits>`;
  }
  if (tag !== undefined && !TAG.test(tag)) {
    return `'${image}' has an invalid tag '${tag}'; a tag is at most 128 letters, digits, '_', '.' or '-'`;
  }
  if (digest !== undefined) return undefined;
  if (tag === undefined) {
    return `'${image}' has no tag, so it means ':latest'; pin a version tag (e.g. ${ref}:1.0.0) or a digest (${ref}@sha256:...)`;
  }
  if (tag === 'latest') {
    return `'${image}' uses ':latest', which changes under the same manifest; pin a version tag or a digest (@sha256:...)`;
  }
  return undefined;
}
