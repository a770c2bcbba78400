// What Argo CD makes of the ApplicationSets synth writes, worked out as its documentation describes
// the generators (https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/):
// - Git files generator: each file of the repository matching a `files[].path` glob is parsed as
//   JSON or YAML (`*` stays within a path segment here; Argo CD's default pathspec lets it cross
//   '/', which makes no difference for synth's output, one folder level deep); an object gives one parameter set, an array
//   one per element. Each set also gets `path.path` (the file's folder), `path.basename` (the
//   folder's name), `path.filename`, `path.basenameNormalized`, `path.filenameNormalized` and
//   `path.segments`.
// - List generator: each element is a parameter set.
// - Cluster generator: each cluster secret whose labels match `selector.matchLabels` gives `name`,
//   `nameNormalized`, `server` and `metadata.labels` / `metadata.annotations`.
// - Matrix generator: every pair of the two child generators' sets, merged. Argo CD lets the first
//   generator's value win where both give a key; here that is an error, since the output relies on none.
// - goTemplate with missingkey=error: `{{.a.b}}` is the parameter, `{{.a | quote}}` the same
//   double-quoted; a parameter that is not there fails the ApplicationSet. templatePatch is the
//   template's text, rendered the same way, merged into the Application. The Applications are
//   created in the ApplicationSet's namespace, with Argo CD's resources finalizer unless the
//   ApplicationSet's syncPolicy.preserveResourcesOnDeletion is set.
// The repository is a folder of this machine: repoURL and revision are not fetched.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

/** A cluster registered in Argo CD, as its secret gives it to the cluster generator. */
export interface ClusterSecret {
  readonly name: string;
  readonly server: string;
  readonly labels: Readonly<Record<string, string>>;
}

type Params = Record<string, unknown>;

/** The Applications `applicationSet` generates from the repository at `repository`, given Argo CD's `clusters`. */
export function expandApplicationSet(applicationSet: any, repository: string, clusters: readonly ClusterSecret[] = []): any[] {
  const { spec } = applicationSet;
  if (spec.goTemplate !== true || !(spec.goTemplateOptions ?? []).includes('missingkey=error')) throw new Error('expected goTemplate with missingkey=error');
  return spec.generators.flatMap((generator: any) => generate(generator, repository, clusters)).map((params: Params) => {
    const application = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...render(spec.template, params) };
    // An Application is created in the ApplicationSet's namespace unless its template names another.
    application.metadata.namespace ??= applicationSet.metadata.namespace;
    if (!spec.syncPolicy?.preserveResourcesOnDeletion) {
      application.metadata.finalizers = [...new Set([...(application.metadata.finalizers ?? []), 'resources-finalizer.argocd.argoproj.io'])];
    }
    if (spec.templatePatch !== undefined) merge(application, parse(renderString(spec.templatePatch, params)));
    return application;
  });
}

function generate(generator: any, repository: string, clusters: readonly ClusterSecret[]): Params[] {
  if (generator.list) return generator.list.elements.map((e: Params) => ({ ...e }));
  if (generator.git) return gitFiles(generator.git.files, repository);
  if (generator.clusters) {
    const labels = generator.clusters.selector?.matchLabels ?? {};
    return clusters
      .filter((c) => Object.entries(labels).every(([k, v]) => c.labels[k] === v))
      .map((c) => ({ name: c.name, nameNormalized: normalize(c.name), server: c.server, metadata: { labels: { ...c.labels }, annotations: {} } }));
  }
  if (generator.matrix) {
    const [a, b] = generator.matrix.generators.map((g: any) => generate(g, repository, clusters));
    return a.flatMap((left: Params) => b.map((right: Params) => {
      const shared = Object.keys(left).filter((k) => k in right);
      if (shared.length > 0) throw new Error(`matrix: both generators give ${shared.join(', ')}`);
      return { ...left, ...right };
    }));
  }
  throw new Error(`generator not modelled: ${Object.keys(generator).join(', ')}`);
}

function gitFiles(patterns: readonly { path: string }[], repository: string): Params[] {
  const all = listFiles(repository);
  return patterns.flatMap(({ path: pattern }) => all.filter((file) => globMatch(pattern, file)).sort().flatMap((file) => {
    const parsed = parse(fs.readFileSync(path.join(repository, file), 'utf8'));
    const folder = path.posix.dirname(file);
    const meta = {
      path: folder, basename: path.posix.basename(folder), filename: path.posix.basename(file),
      basenameNormalized: normalize(path.posix.basename(folder)), filenameNormalized: normalize(path.posix.basename(file)), segments: folder.split('/'),
    };
    return (Array.isArray(parsed) ? parsed : [parsed]).map((object: Params) => ({ ...object, path: meta }));
  }));
}

function listFiles(root: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(root, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(root, rel) : [rel];
  });
}

function globMatch(pattern: string, file: string): boolean {
  const regex = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
  return new RegExp(`^${regex}$`).test(file);
}

/** Argo CD's name normalization: lowercase, every character that is not [a-z0-9-.] becomes '-'. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
}

function render(value: unknown, params: Params): any {
  if (typeof value === 'string') return renderString(value, params);
  if (Array.isArray(value)) return value.map((v) => render(v, params));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [render(k, params), render(v, params)]));
  return value;
}

function renderString(text: string, params: Params): string {
  return text.replace(/\{\{\s*\.([\w.]+)\s*(\|\s*quote\s*)?\}\}/g, (_, key: string, quote?: string) => {
    const value = key.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' && k in v ? (v as Params)[k] : undefined), params);
    if (value === undefined) throw new Error(`missingkey=error: no parameter .${key}`);
    return quote ? JSON.stringify(String(value)) : String(value);
  }).replace(/\{\{[^}]*\}\}/g, (rest) => {
    throw new Error(`template not modelled: ${rest}`);
  });
}

function merge(target: any, patch: any): void {
  for (const [k, v] of Object.entries(patch ?? {})) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof target[k] === 'object') merge(target[k], v);
    else target[k] = v;
  }
}
