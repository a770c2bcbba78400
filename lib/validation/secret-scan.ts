import { creator as recommended } from './secretlint-preset';
import type {
  SecretLintRuleContext, SecretLintRuleCreator, SecretLintRuleLocalizeMessages, SecretLintRuleReportHandler,
  SecretLintSourceCode, SecretLintSourceNodeLocation, SecretLintSourceNodePosition, SecretLintSourceNodeRange,
} from '@secretlint/types';

// Credentials recognised by their form, whatever name they are given: secretlint's
// recommended rule set (AWS, GCP, GitHub, Slack, OpenAI, Anthropic, npm, private keys,
// database connection strings, ...), maintained upstream, plus forms it lacks that
// Kubernetes manifests of ML workloads carry: a password in a URL of any scheme (amqp,
// redis), Authorization header values, Hugging Face tokens.
//
// secretlint's own driver (@secretlint/core's lintSource) is asynchronous, and every
// caller of validateManifests is synchronous; the rules themselves are not (each
// rule's file() reports as it scans). So this module drives the preset's rules itself, through the
// rule API secretlint documents for rule authors, and test/validation/secret-scan.test.ts
// holds it to lintSource's results.

/** One rule of the preset, with the options this project gives it. */
interface ScannerRule {
  readonly id: string;
  readonly options: object;
}

/** The preset's rules that run: all but filter-comments (a `secretlint-disable` comment inside a value must not hide it; suppress with an annotation). */
export const SCANNER_RULES: readonly ScannerRule[] = recommended.rules
  .filter((rule) => rule.meta.id !== '@secretlint/secretlint-rule-filter-comments')
  .map((rule) => ({
    id: rule.meta.id,
    // AWS access key IDs (AKIA...) are reported only when asked for; an access key ID
    // alone is half of a credential, but nobody writes one in a manifest without the other.
    options: rule.meta.id === '@secretlint/secretlint-rule-aws' ? { enableIDScanRule: true } : {},
  }));

/** Reports left out: an AWS account ID names an account, it grants nothing. */
export const IGNORED_MESSAGE_IDS: readonly string[] = ['AWSAccountID'];

/** What one rule found, never the secret itself. */
export interface SecretFinding {
  /** `GITHUB_TOKEN, by secretlint's github rule`, or what this module's own check found: `a URL with a password`. */
  readonly what: string;
  /** The characters of the scanned text it covers. */
  readonly range: readonly [number, number];
}

/** A rule set up once, and the reports of the scan in progress. */
interface Scanner {
  readonly id: string;
  readonly handler: SecretLintRuleReportHandler;
  readonly reports: { messageId: string; range: readonly [number, number] }[];
}

let scanners: Scanner[] | undefined;

function setUp(): Scanner[] {
  const byId = new Map(recommended.rules.map((rule) => [rule.meta.id, rule as SecretLintRuleCreator<object>]));
  return SCANNER_RULES.map(({ id, options }) => {
    const reports: Scanner['reports'] = [];
    const context: SecretLintRuleContext = {
      sharedOptions: {},
      createTranslator: <T extends SecretLintRuleLocalizeMessages>(_messages: T) =>
        // The message text holds the secret; only its ID is kept.
        (messageId: keyof T) => ({ message: '', messageId: String(messageId), data: undefined }),
      report: (descriptor) => {
        reports.push({ messageId: descriptor.message.messageId, range: descriptor.range });
      },
      ignore: () => undefined,
    };
    return { id, handler: byId.get(id)!.create(context, options), reports };
  });
}

/** One report of a secretlint rule: the rule's full ID, the message's ID, the characters it covers. */
export interface SecretlintReport {
  readonly rule: string;
  readonly messageId: string;
  readonly range: readonly [number, number];
}

/**
 * What secretlint's recommended rules (as configured here) report in `content`,
 * read as a file of extension `ext`, synchronously. The same as @secretlint/core's
 * lintSource with this configuration; test/validation/secret-scan.test.ts holds the two together.
 */
export function secretlintReports(content: string, ext = ''): SecretlintReport[] {
  scanners ??= setUp();
  const source = new TextSource(content, ext);
  const found: SecretlintReport[] = [];
  for (const scanner of scanners) {
    scanner.reports.length = 0;
    const done = scanner.handler.file?.(source);
    // Only the GCP rule's .p12 check is asynchronous, and no scanned text is a .p12 file.
    if (done instanceof Promise) throw new Error(`secretlint rule ${scanner.id} scans asynchronously; cdk8s-ml cannot wait for it`);
    for (const { messageId, range } of scanner.reports) {
      if (!IGNORED_MESSAGE_IDS.includes(messageId)) found.push({ rule: scanner.id, messageId, range });
    }
  }
  return found;
}

function runSecretlint(content: string, ext: string): SecretFinding[] {
  return secretlintReports(content, ext).map(({ rule, messageId, range }) =>
    ({ what: `${messageId}, by secretlint's ${rule.replace('@secretlint/secretlint-rule-', '')} rule`, range }));
}

// A URL with a password in any scheme (secretlint knows http, ftp and three databases;
// manifests also reach amqp, redis and kafka), unless the password is a reference.
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/?#@]{0,256}:([^\s/?#@]{1,256})@/gi;
// An Authorization header value.
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g;
const BASIC = /\bBasic\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/g;
// A Hugging Face access token (hf_ and 34 letters and digits).
const HUGGING_FACE = /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{34,40}(?![A-Za-z0-9_])/g;
const REFERENCE = /^(\$\([^)]*\)|\$\{[^}]*\}|\{\{[^}]*\}\}|\$[A-Za-z_]\w*)$/;

function runOwnChecks(content: string): SecretFinding[] {
  const found: SecretFinding[] = [];
  const add = (what: string, match: RegExpMatchArray) => found.push({ what, range: [match.index!, match.index! + match[0].length] });
  for (const m of content.matchAll(URL_PASSWORD)) if (!REFERENCE.test(m[1])) add('a URL with a password', m);
  for (const m of content.matchAll(BEARER)) add('a bearer token', m);
  for (const m of content.matchAll(BASIC)) if (Buffer.from(m[1], 'base64').toString('latin1').includes(':')) add('basic-auth credentials', m);
  for (const m of content.matchAll(HUGGING_FACE)) add('a Hugging Face token', m);
  return found;
}

/** The text scanned for a value given to `name`, and where the value starts in it. */
function textOf(value: string, name: string): { content: string; valueStart: number } {
  // The name goes in front, as in a .env file, for the rules that read it (AWS_SECRET_ACCESS_KEY=...).
  const prefix = name === '' ? '' : `${name}=`;
  return { content: prefix + value, valueStart: prefix.length };
}

/** The extension secretlint's GCP rule reads a service-account key file by (.json); never .p12, which it reads from disk. */
function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && name.slice(dot) !== '.p12' ? name.slice(dot) : '';
}

/** What one value holds, scanned on its own; what is found in the name alone does not count. */
function scanOne(value: string, name: string): string | undefined {
  const { content, valueStart } = textOf(value, name);
  return [...runSecretlint(content, extensionOf(name)), ...runOwnChecks(content)].find((f) => f.range[1] > valueStart)?.what;
}

// What each value given to each name holds, by name, then value: the strings a run already
// has are the keys, with no key built per lookup. Bounded like lib/util/remembered.ts.
const results = new Map<string, Map<string, string | undefined>>();
let resultCount = 0;
const RESULTS_LIMIT = 200_000;

function known(value: string, name: string): boolean {
  return results.get(name)?.has(value) ?? false;
}

function remember(value: string, name: string, found: string | undefined): void {
  if (resultCount >= RESULTS_LIMIT) {
    results.clear();
    resultCount = 0;
  }
  let byValue = results.get(name);
  if (!byValue) results.set(name, byValue = new Map());
  byValue.set(value, found);
  resultCount++;
}

/**
 * What kind of credential `value` holds, e.g. `AWSAccessKeyID, by secretlint's aws rule`,
 * or undefined when none is found. `name` is what the value is given to (an
 * environment variable, a ConfigMap key), when it has one. Never returns the
 * value. Each distinct pair is scanned once: by `scanForCredentials` when it
 * was given the pair, else here.
 */
export function findCredential(value: string, name = ''): string | undefined {
  const byValue = results.get(name);
  if (byValue?.has(value)) return byValue.get(value);
  const found = scanOne(value, name);
  remember(value, name, found);
  return found;
}

/**
 * Scans many values at once, so that `findCredential` finds them known.
 * secretlint's rules are made for whole files: run over thousands of short
 * values one by one they spend most of their time setting up (a fleet's
 * validation took 0.1 s more), so the values are scanned as the lines of one
 * text, and only those a rule reports anything in are scanned again on their
 * own, for the exact answer. A value scanned with its neighbours has nothing
 * the rules could read differently: every pattern either stops at a line end
 * or needs its own markers on both sides (a private key's BEGIN and END).
 */
export function scanForCredentials(pairs: Iterable<readonly [value: string, name: string]>): void {
  const values: string[] = [];
  const names: string[] = [];
  for (const [value, name] of pairs) {
    values.push(value);
    names.push(name);
  }
  scanLiterals(values, names);
}

/** `scanForCredentials` over two lists side by side: `values[i]` is given to `names[i]` ('' for none). */
export function scanLiterals(values: readonly string[], names: readonly string[]): void {
  const batch: { value: string; name: string; start: number }[] = [];
  const lines: string[] = [];
  let offset = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const name = names[i];
    if (known(value, name)) continue;
    // The GCP rule reads a .json value as a whole file: those are scanned on their own.
    if (extensionOf(name) !== '') {
      remember(value, name, scanOne(value, name));
      continue;
    }
    // Known from here on; the batch's result replaces this.
    remember(value, name, undefined);
    const { content } = textOf(value, name);
    batch.push({ value, name, start: offset });
    lines.push(content);
    offset += content.length + 1;
  }
  if (batch.length === 0) return;
  const content = lines.join('\n');
  const suspects = new Set<number>();
  for (const { range } of [...runSecretlint(content, ''), ...runOwnChecks(content)]) {
    // Every value the report covers, from the one it starts in.
    for (let i = lineAt(batch, range[0]); i < batch.length && batch[i].start < Math.max(range[1], range[0] + 1); i++) suspects.add(i);
  }
  for (const i of suspects) remember(batch[i].value, batch[i].name, scanOne(batch[i].value, batch[i].name));
}

/** The index of the last entry of `batch` that starts at or before `index`. */
function lineAt(batch: readonly { start: number }[], index: number): number {
  let low = 0;
  let high = batch.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (batch[middle].start <= index) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** A scanned text, as secretlint's rules read it. */
class TextSource implements SecretLintSourceCode {
  public readonly hasBOM = false;
  public readonly filePath = undefined;
  public readonly physicalFilePath = undefined;
  public readonly contentType = 'text';
  private lineStarts?: number[];

  constructor(public readonly content: string, public readonly ext: string) {}

  public getFilePath(): undefined {
    return undefined;
  }

  public getPhysicalFilePath(): undefined {
    return undefined;
  }

  public indexToPosition(index: number): SecretLintSourceNodePosition {
    const starts = this.starts();
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= index) line++;
    return { line: line + 1, column: index - starts[line] };
  }

  public positionToIndex(position: SecretLintSourceNodePosition): number {
    return (this.starts()[position.line - 1] ?? this.content.length) + position.column;
  }

  public rangeToLocation(range: SecretLintSourceNodeRange): SecretLintSourceNodeLocation {
    return { start: this.indexToPosition(range[0]), end: this.indexToPosition(range[1]) };
  }

  public locationToRange(location: SecretLintSourceNodeLocation): SecretLintSourceNodeRange {
    return [this.positionToIndex(location.start), this.positionToIndex(location.end)];
  }

  private starts(): number[] {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.content.indexOf('\n'); i >= 0; i = this.content.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    }
    return this.lineStarts;
  }
}
