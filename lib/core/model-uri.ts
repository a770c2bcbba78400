// A model's location, as the props give it: checked by the schema, parsed by lib/pod/model.ts.

/** Where a model comes from, parsed from its URI. */
export type ModelSource =
  | { readonly scheme: 's3' | 'gs'; readonly uri: string }
  | { readonly scheme: 'hf'; readonly repo: string; readonly revision?: string }
  | { readonly scheme: 'pvc'; readonly claim: string; readonly path: string };

const URI = /^(s3|gs|hf|pvc):\/\/(.+)$/;
const CLAIM = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `uri` is not a model location cdk8s-ml can use, or undefined. */
export function modelUriProblem(uri: string): string | undefined {
  const match = URI.exec(uri);
  if (!match) return `'${uri}' is not a model URI; use s3://bucket/path, gs://bucket/path, hf://org/repo[@revision] or pvc://claim/path`;
  const [, scheme, rest] = match;
  if (scheme === 'hf' && !/^[\w.-]+\/[\w.-]+(@[\w./-]+)?$/.test(rest)) return `'${uri}' is not a Hugging Face model; write hf://org/repo or hf://org/repo@revision`;
  if (scheme === 'pvc' && !CLAIM.test(rest.split('/')[0])) return `'${uri}' does not start with a PersistentVolumeClaim name; write pvc://claim/path`;
  if (scheme === 'pvc' && rest.split('/').some((s) => s === '..' || s === '.')) return `'${uri}' climbs out of the volume with '..' or '.'; give the path inside the claim`;
  return undefined;
}

/** The parts of a valid model URI. */
export function parseModelUri(uri: string): ModelSource {
  const [, scheme, rest] = URI.exec(uri)!;
  if (scheme === 'hf') {
    const [repo, revision] = rest.split('@');
    return { scheme, repo, revision };
  }
  if (scheme === 'pvc') {
    const [claim, ...path] = rest.split('/');
    return { scheme, claim, path: path.join('/') };
  }
  return { scheme: scheme as 's3' | 'gs', uri };
}
