import { remembered } from '../../util/remembered';
import type { PropPath } from '../../core/errors';
import { isNotACredential, looksLikeSecret } from '../../core/secret-names';
import { type Finding, isRecord, type K8sObject, listAt, recordAt } from '../manifest';
import { apiGroup, type ContainerAt } from '../pod-specs';
import { catalogued, type Rule, type RunIndex } from '../rule';
import { findCredential, scanLiterals } from '../secret-scan';

// Credentials written into manifests, found by the name they are given (DB_PASSWORD,
// --db-password, a ConfigMap key) and by their form (lib/validation/secret-scan.ts:
// secretlint's recommended rules). Findings name the field, never the value.

const KEDA_SCALERS = ['ScaledObject', 'ScaledJob'];

/** The value of `key` in `value` when it is an object (as one step of `at`), else undefined. */
function member(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/** The literals of one run, in one list: each value with the name it is given ('' for none). */
interface Literals {
  readonly values: string[];
  readonly names: string[];
}

/** Adds the string values of `map` (a record; anything else holds none), named by their keys when `named`. */
function addMap(map: unknown, named: boolean, into: Literals, decode?: (value: string) => string): void {
  if (!isRecord(map)) return;
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (typeof value !== 'string') continue;
    into.values.push(decode ? decode(value) : value);
    into.names.push(named ? key : '');
  }
}

/** Adds the string items of `list` (an array; anything else holds none), with no name. */
function addList(list: unknown, into: Literals): void {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    if (typeof item !== 'string') continue;
    into.values.push(item);
    into.names.push('');
  }
}

/**
 * Adds every literal of `object` the rules below look at (directly: this runs
 * over every object of a run) and returns true when one of its containers has
 * a command line, whose flags name what follows them.
 */
function collectLiterals(object: K8sObject, run: RunIndex, into: Literals): boolean {
  let commandLine = false;
  addMap(member(object.metadata, 'annotations'), false, into);
  const pod = run.podSpec(object);
  if (pod) {
    addMap(pod.annotations, false, into);
    for (const { container } of run.containers(pod)) {
      const { env, command, args } = container;
      if (Array.isArray(env)) {
        for (const entry of env) {
          if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.value !== 'string') continue;
          into.values.push(entry.value);
          into.names.push(entry.name);
        }
      }
      addList(command, into);
      addList(args, into);
      if ((Array.isArray(command) && command.length > 0) || (Array.isArray(args) && args.length > 0)) commandLine = true;
    }
  }
  if (isConfigMap(object)) {
    addMap(object.data, true, into);
    addMap(object.binaryData, true, into, decodeBase64);
  }
  if (isKedaScaler(object)) {
    const triggers = member(object.spec, 'triggers');
    if (Array.isArray(triggers)) for (const trigger of triggers) if (isRecord(trigger)) addMap(trigger.metadata, true, into);
  }
  return commandLine;
}

/** The runs whose objects have been scanned. */
const scannedRuns = new WeakSet<RunIndex>();

/**
 * Scans every literal of the run at once, the first time a rule below checks
 * one of its objects, and returns whether each object is clean: no literal
 * found to be a credential (by form or by name) and no command line (whose
 * flags name what follows them). Nearly every object is; the rules check the
 * rest, and any object not of the run, in full. One pass over the run's
 * objects serves both rules (test/validation/secrets.test.ts holds it to
 * their full checks). Objects the run's memory has seen (watch mode) are
 * not scanned again.
 */
function scanRun(run: RunIndex): WeakMap<K8sObject, boolean> {
  const clean = run.memo<boolean>('secret-scan');
  if (scannedRuns.has(run)) return clean;
  scannedRuns.add(run);
  const manifests = run.manifests.filter((m) => !clean.has(m.object));
  const literals: Literals = { values: [], names: [] };
  const commandLines: boolean[] = [];
  const ends: number[] = [];
  for (const { object } of manifests) {
    commandLines.push(collectLiterals(object, run, literals));
    ends.push(literals.values.length);
  }
  const { values, names } = literals;
  scanLiterals(values, names);
  let start = 0;
  for (let i = 0; i < manifests.length; i++) {
    const end = ends[i];
    let found = commandLines[i];
    for (let j = start; j < end && !found; j++) found = credentialIn(values[j], names[j]) !== undefined;
    clean.set(manifests[i].object, !found);
    start = end;
  }
  return clean;
}

function isConfigMap(object: K8sObject): boolean {
  return object.kind === 'ConfigMap' && apiGroup(object.apiVersion) === '';
}

function isKedaScaler(object: K8sObject): boolean {
  return typeof object.kind === 'string' && KEDA_SCALERS.includes(object.kind) && apiGroup(object.apiVersion) === 'keda.sh';
}

function decodeBase64(value: string): string {
  return Buffer.from(value, 'base64').toString('latin1');
}

/** Why a literal given to `name` is a credential, or undefined: by its form first, else by its name. */
function credentialIn(value: string, name: string): string | undefined {
  const found = findCredential(value, name);
  if (found) return `a literal credential (${found})`;
  return looksLikeSecret(name) && !isNotACredential(value) ? 'a literal value' : undefined;
}

export const ENV_SECRET_LITERAL: Rule = {
  ...catalogued('ENV-SECRET-LITERAL'),
  rationale: 'A credential written as a literal env value is committed to Git and readable by anyone who can read the Deployment.',
  fix: 'Keep it in a Secret and read it with valueFrom.secretKeyRef (in a workload file: env: { NAME: { secretKeyRef: { name, key } } }).',
  kubeLinter: 'env-var-secret',
  polaris: 'sensitiveContainerEnvVar',
  check({ object }, run) {
    if (scanRun(run).get(object)) return [];
    const pod = run.podSpec(object);
    return pod ? run.containers(pod).flatMap((c) => listAt(c.container, ['env']).flatMap((env, i): Finding[] => {
      const { name, value } = recordAt(env, []);
      if (typeof name !== 'string' || typeof value !== 'string') return [];
      const what = credentialIn(value, name);
      return what ? [{ path: [...c.path, 'env', i, 'value'], message: `container '${c.name}' sets ${name} to ${what}` }] : [];
    })) : [];
  },
};

/** One word of a command line, with the index of the list item it came from. */
interface Word {
  readonly item: number;
  readonly text: string;
}

// `--db-password=hunter2`, `DB_PASSWORD=hunter2` (in an `sh -c` script), or `--db-password hunter2`.
const ASSIGNMENT = /^-{0,2}([A-Za-z_][\w.-]*)=(.*)$/s;
const FLAG = /^-{1,2}([A-Za-z_][\w.-]*)$/;

/** The credentials a command or args list passes, by flag or variable name and by form. */
function commandLineFindings(c: ContainerAt, field: 'command' | 'args'): Finding[] {
  const items = listAt(c.container, [field]);
  if (items.length === 0) return [];
  return analyseCommandLine(JSON.stringify(items.map((item) => typeof item === 'string' ? item : null)))
    .map(([index, what]) => ({ path: [...c.path, field, index], message: `container '${c.name}' passes ${what} in its ${field}` }));
}

/** Per item of a command line (as JSON; null for what is not a string), what credential it passes. A fleet repeats its command lines. */
const analyseCommandLine = remembered((json: string): [number, string][] => {
  const items = JSON.parse(json) as (string | null)[];
  const findings = new Map<number, string>();
  const words: Word[] = [];
  items.forEach((item, index) => {
    if (item === null) return;
    const found = findCredential(item);
    if (found) findings.set(index, `a literal credential (${found})`);
    for (const text of item.split(/\s+/)) if (text !== '') words.push({ item: index, text: text.replace(/^["']|["']$/g, '') });
  });
  words.forEach(({ item, text }, i) => {
    const assignment = ASSIGNMENT.exec(text);
    if (assignment && looksLikeSecret(assignment[1]) && !isNotACredential(assignment[2])) {
      if (!findings.has(item)) findings.set(item, `a literal value for ${assignment[1]}`);
      return;
    }
    const flag = FLAG.exec(text);
    const next = words[i + 1];
    if (flag && next && !next.text.startsWith('-') && looksLikeSecret(flag[1]) && !isNotACredential(next.text) && !findings.has(next.item)) {
      findings.set(next.item, `a literal value for ${text}`);
    }
  });
  return [...findings].sort(([a], [b]) => a - b);
});

/** The credentials in a map of literals (ConfigMap data, trigger metadata), by key and by form. */
function mapFindings(map: Record<string, unknown>, path: PropPath, describe: (key: string) => string, decode?: (value: string) => string): Finding[] {
  return Object.entries(map).flatMap(([key, value]): Finding[] => {
    if (typeof value !== 'string') return [];
    const what = credentialIn(decode ? decode(value) : value, key);
    return what ? [{ path: [...path, key], message: `${describe(key)} holds ${what}` }] : [];
  });
}

export const SECRET_LITERAL: Rule = {
  ...catalogued('SECRET-LITERAL'),
  rationale: 'A credential written literally in a command line, a ConfigMap, an annotation or KEDA trigger metadata is committed to Git and readable by anyone who can read the object.',
  fix: 'Keep it in a Secret: pass it to the container as an env variable from valueFrom.secretKeyRef (args can say $(VAR)), mount it as a file, or give KEDA a TriggerAuthentication (in a workload file: authentication: { secret, parameters }).',
  kubeLinter: '-',
  polaris: '-',
  check({ object }, run) {
    if (scanRun(run).get(object)) return [];
    const findings: Finding[] = [];
    const annotationsAt = (path: PropPath) => {
      for (const [key, value] of Object.entries(recordAt(object, path))) {
        const found = typeof value === 'string' ? findCredential(value) : undefined;
        if (found) findings.push({ path: [...path, key], message: `annotation ${key} holds a literal credential (${found})` });
      }
    };
    annotationsAt(['metadata', 'annotations']);
    const pod = run.podSpec(object);
    if (pod) {
      annotationsAt([...pod.metadataPath, 'annotations']);
      for (const c of run.containers(pod)) findings.push(...commandLineFindings(c, 'command'), ...commandLineFindings(c, 'args'));
    }
    if (isConfigMap(object)) {
      findings.push(...mapFindings(recordAt(object, ['data']), ['data'], (key) => `key ${key}`));
      findings.push(...mapFindings(recordAt(object, ['binaryData']), ['binaryData'], (key) => `key ${key}`, decodeBase64));
    }
    if (isKedaScaler(object)) {
      listAt(object, ['spec', 'triggers']).forEach((trigger, i) => {
        const metadata = isRecord(trigger) ? recordAt(trigger, ['metadata']) : {};
        findings.push(...mapFindings(metadata, ['spec', 'triggers', i, 'metadata'], (key) => `trigger ${i} metadata ${key}`));
      });
    }
    return findings;
  },
};

export const SECRET_MANIFEST: Rule = {
  ...catalogued('SECRET-MANIFEST'),
  rationale: 'A Secret written with literal data or stringData puts the credential in Git in plain text (base64 is an encoding, not encryption); a warning, since a Secret of non-sensitive data is sometimes meant.',
  fix: 'Commit a SealedSecret (Bitnami Sealed Secrets) or an ExternalSecret (External Secrets Operator) that makes the Secret in the cluster, or suppress it with the reason the data is not sensitive.',
  kubeLinter: '-',
  polaris: '-',
  severity: 'warning',
  check({ object }) {
    if (object.kind !== 'Secret' || apiGroup(object.apiVersion) !== '') return [];
    return (['data', 'stringData'] as const).flatMap((field): Finding[] => {
      const keys = Object.entries(recordAt(object, [field])).filter(([, value]) => typeof value === 'string' && value !== '').map(([key]) => key);
      return keys.length > 0 ? [{ path: [field], message: `Secret holds ${keys.length} literal value(s) in ${field} (${keys.join(', ')})` }] : [];
    });
  },
};
