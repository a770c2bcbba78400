import { Yaml } from 'cdk8s';
import { stringify } from 'yaml';
import { remembered } from '../../lib/util/remembered';

// cdk8s's Yaml.stringify (the `yaml` package, YAML 1.1, no line folding) builds a node
// tree for every object, which is most of a large synth's time. Kubernetes objects are
// plain maps, lists and one-line scalars, whose block layout is fixed; only a scalar's
// own text (plain or quoted) needs the yaml package's rules, and it is the same
// wherever the scalar stands. So this writes the layout itself and asks the yaml
// package for each distinct scalar once. Anything else (a multi-line string, a key
// that is not a plain scalar) goes to Yaml.stringify whole. test/app/synth/emit-yaml.test.ts
// holds the two to the same bytes.

const OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

class NotPlain extends Error {}

// Words are written as they are: a letter, then letters, digits and `-._/:` (not a colon
// last), as in image references and label keys; digits without a leading zero, then letters,
// as in quantities (500m, 16Gi); three or more numbers joined by dots, as in versions (1.0.7).
// The exceptions are the words YAML 1.1 reads as something else (booleans, null, an exponent
// without a mantissa), which the yaml package quotes. Every other YAML 1.1 number, date and
// time starts with a digit, a sign or a dot and is none of these words.
// test/app/synth/emit-yaml.test.ts checks this against the yaml package.
const WORD = /^(?:[A-Za-z][A-Za-z0-9._/:-]*(?<!:)|[1-9][0-9]*[A-Za-z]+|[0-9]+(?:\.[0-9]+){2,})$/;
const NOT_A_STRING_IN_YAML_1_1 = /^(?:[eE]-?[0-9]+|[yYnN]|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;

/** A scalar as the yaml package writes it, or NotPlain when it would not fit on one line. */
function scalar(value: unknown): string {
  // -0 goes on, to the yaml package: 0 never gets there, and they are one key of a Map.
  return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : scalarText(value);
}

// Each distinct scalar is worked out once.
const scalarText = remembered((value: unknown): string => {
  if (typeof value === 'string' && WORD.test(value) && !NOT_A_STRING_IN_YAML_1_1.test(value)) return value;
  if (typeof value === 'string' && /[\n\r]/.test(value)) throw new NotPlain();
  const text = stringify(value, OPTIONS).replace(/\n$/, '');
  if (text.includes('\n')) throw new NotPlain();
  return text;
}, 100_000);

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * What follows `key:` or a dash for `value`: ` scalar`, ` {}`, ` []`, or the
 * collection's entries, each on a line of its own at `indent`; the first one
 * starts with `first` instead when given (on a dash's line, at a document's start).
 */
function after(value: unknown, indent: string, seen: Set<object>, first?: string): string {
  // cdk8s keeps undefined values: the yaml package writes them as null, in maps and lists alike.
  if (value === undefined) return ' null';
  if (value === null || typeof value !== 'object') return ` ${scalar(value)}`;
  // The yaml package writes an object met twice as an anchor and an alias.
  if (seen.has(value)) throw new NotPlain();
  seen.add(value);
  const newline = `\n${indent}`;
  const inner = `${indent}  `;
  let text = '';
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    for (let i = 0; i < value.length; i++) {
      text += `${i === 0 && first !== undefined ? first : newline}-${after(value[i], inner, seen, ' ')}`;
    }
    return text;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return ' {}';
  const record = value as Record<string, unknown>;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    // A key over 1024 characters takes YAML's explicit `? key` form.
    if (key.length > 1000) throw new NotPlain();
    text += `${i === 0 && first !== undefined ? first : newline}${scalar(key)}:${after(record[key], inner, seen)}`;
  }
  return text;
}

function document(value: unknown): string {
  if (!isMap(value) || Object.keys(value).length === 0) return stringify(value, OPTIONS);
  return `${after(value, '', new Set(), '')}\n`;
}

/** Byte for byte what cdk8s's `Yaml.stringify(...docs)` writes, without building a node tree per object. */
export function emitYaml(...docs: unknown[]): string {
  try {
    return docs.map((d) => d === undefined ? '\n' : document(d)).join('---\n');
  } catch (e) {
    if (e instanceof NotPlain) return Yaml.stringify(...docs);
    throw e;
  }
}
