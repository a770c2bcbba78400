const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** The tag of an image reference, if any (a registry port is not a tag). */
export function imageTag(image: string): string | undefined {
  const ref = image.split('@')[0];
  const lastSegment = ref.slice(ref.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon >= 0 ? lastSegment.slice(colon + 1) : undefined;
}

/**
 * Why an image reference cannot be deployed reproducibly, or undefined when it
 * can: it needs a tag other than `latest`, or a digest, so that a Git commit
 * pins what runs.
 */
export function imageProblem(image: string): string | undefined {
  if (image.trim() === '' || /\s/.test(image)) {
    return `'${image}' is not an image reference; write e.g. registry.example.com/ml/server:1.4.2`;
  }
  const [ref, digest, ...rest] = image.split('@');
  if (rest.length > 0 || (digest !== undefined && !DIGEST.test(digest))) {
    return `'${image}' has a malformed digest; write it as image@sha256:<64 hex digits>`;
  }
  if (digest !== undefined) return undefined;
  const tag = imageTag(ref);
  if (tag === undefined) {
    return `'${image}' has no tag, so it means ':latest'; pin a version tag (e.g. ${ref}:1.0.0) or a digest (${ref}@sha256:...)`;
  }
  if (!TAG.test(tag)) {
    return `'${image}' has an invalid tag '${tag}'; a tag is at most 128 letters, digits, '_', '.' or '-'`;
  }
  if (tag === 'latest') {
    return `'${image}' uses ':latest', which changes under the same manifest; pin a version tag or a digest (@sha256:...)`;
  }
  return undefined;
}
