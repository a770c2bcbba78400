import { type Document, isScalar, parseDocument, type ScalarTag } from 'yaml';
import { remembered } from '../../lib/util/remembered';
import { type InputLimits, WORKLOAD_FILE_LIMITS } from './input-limits';

/** A mapping document read by parseSimpleYaml. */
export interface SimpleDocument {
  /** The mapping, as the yaml package's `toJS()` gives it. */
  readonly data: Record<string, unknown>;
  /** The 1-based line of its first key, where the yaml package starts its contents. */
  readonly line: number;
}

/**
 * Reads the simple YAML workload files are written in, several times faster than the
 * yaml package: mappings at column 0, block mappings and sequences, flow mappings and
 * sequences on one line, plain and quoted scalars on one line without escapes, comments,
 * and `---` between documents. For anything else (anchors, aliases, tags, block or
 * multi-line scalars, escapes, tabs, non-ASCII text, a document that is not a mapping,
 * anything the yaml package reports) it returns undefined, and the caller asks the yaml
 * package. Otherwise it returns what the yaml package would, with `uniqueKeys`: plain
 * scalars are resolved by its own YAML 1.2 core schema tags, and empty documents skipped.
 *
 * `numbersAsWrittenIn` names a top-level key whose mapping's number values keep their
 * text as written (`1.10` stays "1.10"). A document whose lists and mappings nest deeper
 * than `limits` allow (its own mapping is level 1), or a list or mapping longer, is left
 * to the yaml package too: reading never runs out of stack, and the caller reports every
 * limit in one place.
 */
export function parseSimpleYaml(text: string, numbersAsWrittenIn?: string, limits: Pick<InputLimits, 'depth' | 'listItems' | 'mappingKeys'> = WORKLOAD_FILE_LIMITS): SimpleDocument[] | undefined {
  // Tabs, carriage returns, control characters and non-ASCII text each have rules of their own.
  if (/[^\n\x20-\x7e]/.test(text)) return undefined;
  try {
    return new SimpleReader(text.split('\n'), numbersAsWrittenIn, limits).documents();
  } catch (e) {
    if (e === NOT_SIMPLE) return undefined;
    throw e;
  }
}

// Thrown, never shown, as soon as the text is not simple YAML; preallocated, as it is common.
const NOT_SIMPLE = new Error('not simple YAML');
function notSimple(): never {
  throw NOT_SIMPLE;
}

/** `key:` at the start of a block mapping entry, followed by a space or the end of the line. */
const BLOCK_KEY = /^([A-Za-z0-9_][\w./-]*):(?= |$)/;
/** `key: ` in a flow mapping. */
const FLOW_KEY = /([A-Za-z0-9_][\w./-]*): /y;
const FLOW_INDICATORS = ',[]{}';
/** Characters that cannot start a plain scalar, or start one with rules of its own. */
const NOT_PLAIN_START = ',[]{}#&*!|>\'"%@`?:';

let core: { readonly tags: readonly ScalarTag[]; readonly options: Document['options'] } | undefined;

/** A plain scalar's value: the first of the yaml package's core schema tags that matches it, or the string. */
function resolvePlain(source: string, atKey: boolean): unknown {
  // Long values (a query, a command line) rarely repeat: they are not kept.
  if (source.length > 100) return resolveWithCoreTags(source, atKey);
  return atKey ? resolvePlainKey(source) : resolvePlainValue(source);
}

function resolveWithCoreTags(source: string, atKey: boolean): unknown {
  if (!core) {
    const reference = parseDocument('', { uniqueKeys: true, prettyErrors: false });
    core = { tags: reference.schema.tags.filter((tag): tag is ScalarTag => !tag.collection), options: reference.options };
  }
  const tag = core.tags.find((t) => (t.default === true || (atKey && t.default === 'key')) && t.test?.test(source));
  if (!tag) return source;
  const value = tag.resolve(source, notSimple, core.options);
  return isScalar(value) ? value.value : value;
}

// Keys and values repeat from file to file (name:, image:, 80, true): each is resolved once. The
// core schema's scalars are strings, numbers, booleans and null, which nothing can change.
const resolvePlainKey = remembered((source: string) => resolveWithCoreTags(source, true));
const resolvePlainValue = remembered((source: string) => resolveWithCoreTags(source, false));

function isSeqItem(line: string, column: number): boolean {
  return line[column] === '-' && (line[column + 1] === ' ' || line.length === column + 1);
}

class SimpleReader {
  /** The current line. */
  private i = 0;
  /** The end of the current document's lines. */
  private end = 0;
  /** The line or part of a line being scanned, and the position in it. */
  private text = '';
  private pos = 0;
  /** Lists and mappings open around the current position. */
  private depth = 0;

  constructor(
    private readonly lines: readonly string[],
    private readonly numbersAsWrittenIn: string | undefined,
    private readonly limits: Pick<InputLimits, 'depth' | 'listItems' | 'mappingKeys'>,
  ) {}

  /** One more list or mapping open; deeper than the limit is not simple. */
  private enter(): void {
    if (++this.depth > this.limits.depth) notSimple();
  }

  public documents(): SimpleDocument[] {
    const documents: SimpleDocument[] = [];
    for (let start = 0; start <= this.lines.length; start = this.end + 1) {
      this.i = start;
      this.end = this.lines.indexOf('---', start);
      if (this.end < 0) this.end = this.lines.length;
      const indent = this.next();
      if (indent < 0) continue;
      if (indent > 0) notSimple();
      const line = this.i + 1;
      documents.push({ data: this.map(0, undefined, false, this.numbersAsWrittenIn), line });
      if (this.next() >= 0) notSimple();
    }
    return documents;
  }

  /** Moves to the next line with content (not blank, not a comment); returns its indent, or -1 at the end of the document. */
  private next(): number {
    for (; this.i < this.end; this.i++) {
      const line = this.lines[this.i];
      let indent = 0;
      while (line.charCodeAt(indent) === 32) indent++;
      if (indent < line.length && line[indent] !== '#') return indent;
    }
    return -1;
  }

  /**
   * A block mapping whose keys are at `indent`, from the current line on; `first` is its
   * first entry when that follows a sequence's `- `. `asWritten` keeps number values' text,
   * and `asWrittenIn` names the key whose mapping does.
   */
  private map(indent: number, first: string | undefined, asWritten: boolean, asWrittenIn?: string): Record<string, unknown> {
    this.enter();
    const map: Record<string, unknown> = {};
    let entry = first ?? this.lines[this.i].slice(indent);
    for (let keys = 0; ; keys++) {
      const match = BLOCK_KEY.exec(entry) ?? notSimple();
      const key = this.key(map, match[1], keys);
      const valueAsWritten = key === asWrittenIn;
      const rest = entry.slice(match[0].length);
      this.i++;
      map[key] = /^ *(#.*)?$/.test(rest) ? this.nested(indent, valueAsWritten) : this.inline(rest, asWritten, valueAsWritten);
      const next = this.next();
      if (next < indent) {
        this.depth--;
        return map;
      }
      // A more indented line would continue a plain scalar, or be an error.
      if (next > indent) notSimple();
      entry = this.lines[this.i].slice(indent);
    }
  }

  /** A mapping key, once it is known to read as the string it is and to be new in `map`, which has `keys` keys. */
  private key(map: Record<string, unknown>, key: string, keys: number): string {
    if (keys >= this.limits.mappingKeys || key.length > 1000 || key === '__proto__' || Object.hasOwn(map, key) || resolvePlain(key, true) !== key) notSimple();
    return key;
  }

  /** The value of `key:` at `indent` with nothing after it: the block below it, or null. */
  private nested(indent: number, asWritten: boolean): unknown {
    const next = this.next();
    const line = next < 0 ? '' : this.lines[this.i];
    if (next > indent) return isSeqItem(line, next) ? this.seq(next) : this.map(next, undefined, asWritten);
    if (next === indent && isSeqItem(line, next)) return this.seq(next);
    return resolvePlain('', false);
  }

  /** A block sequence whose `- ` are at `indent`, from the current line on. */
  private seq(indent: number): unknown[] {
    this.enter();
    const seq: unknown[] = [];
    for (;;) {
      const line = this.lines[this.i];
      let column = indent + 1;
      while (line[column] === ' ') column++;
      // An item on the lines below, or a sequence in a sequence.
      if (column >= line.length || line[column] === '#' || isSeqItem(line, column)) notSimple();
      const item = line.slice(column);
      if (seq.length >= this.limits.listItems) notSimple();
      if (BLOCK_KEY.test(item)) {
        seq.push(this.map(column, item, false));
      } else {
        seq.push(this.inline(item, false, false));
        this.i++;
      }
      const next = this.next();
      if (next > indent) notSimple();
      // Otherwise the next key of the mapping this sequence is a value of, at the same column.
      if (next < indent || !isSeqItem(this.lines[this.i], next)) {
        this.depth--;
        return seq;
      }
    }
  }

  /**
   * A value on the same line as its key or `- `: a flow collection, a quoted or a plain
   * scalar, then at most a comment. `asWritten` keeps a number's text; `mapAsWritten`, the
   * text of the number values of a flow mapping.
   */
  private inline(text: string, asWritten: boolean, mapAsWritten: boolean): unknown {
    this.text = text;
    this.pos = 0;
    this.spaces();
    const first = text[this.pos];
    let value: unknown;
    if (first === '{') value = this.flowMap(mapAsWritten);
    else if (first === '[') value = this.flowSeq();
    else if (first === '"' || first === "'") value = this.quoted();
    else value = this.blockPlain(asWritten);
    const end = this.pos;
    this.spaces();
    if (this.pos < text.length && !(this.pos > end && text[this.pos] === '#')) notSimple();
    return value;
  }

  /** A plain scalar in a block: the rest of the line, up to a comment. */
  private blockPlain(asWritten: boolean): unknown {
    const start = this.pos;
    const comment = this.text.indexOf(' #', start);
    const source = this.text.slice(start, comment < 0 ? undefined : comment).trimEnd();
    const first = source[0];
    if (NOT_PLAIN_START.includes(first) || (first === '-' && source[1] === ' ')) notSimple();
    // `: ` would make it a mapping: an error on the same line as a key.
    if (source.includes(': ') || source.endsWith(':') || source === '-') notSimple();
    this.pos = start + source.length;
    return this.scalar(source, asWritten);
  }

  private scalar(source: string, asWritten: boolean): unknown {
    const value = resolvePlain(source, false);
    return asWritten && typeof value === 'number' ? source : value;
  }

  private spaces(): void {
    while (this.text.charCodeAt(this.pos) === 32) this.pos++;
  }

  /** A flow node; `asWritten` keeps a number's text. */
  private flowNode(asWritten: boolean): unknown {
    this.spaces();
    const first = this.text[this.pos];
    if (first === '{') return this.flowMap(false);
    if (first === '[') return this.flowSeq();
    if (first === '"' || first === "'") return this.quoted();
    return this.flowPlain(asWritten);
  }

  private flowMap(asWritten: boolean): Record<string, unknown> {
    this.enter();
    const map: Record<string, unknown> = {};
    this.pos++;
    this.spaces();
    if (this.text[this.pos] !== '}') {
      for (let keys = 0; ; keys++) {
        FLOW_KEY.lastIndex = this.pos;
        const match = FLOW_KEY.exec(this.text) ?? notSimple();
        const key = this.key(map, match[1], keys);
        this.pos = FLOW_KEY.lastIndex;
        map[key] = this.flowNode(asWritten);
        if (this.endOfEntry('}')) break;
      }
    } else {
      this.pos++;
    }
    this.depth--;
    return map;
  }

  private flowSeq(): unknown[] {
    this.enter();
    const seq: unknown[] = [];
    this.pos++;
    this.spaces();
    if (this.text[this.pos] !== ']') {
      for (;;) {
        if (seq.length >= this.limits.listItems) notSimple();
        seq.push(this.flowNode(false));
        if (this.endOfEntry(']')) break;
      }
    } else {
      this.pos++;
    }
    this.depth--;
    return seq;
  }

  /** After a flow entry: true at the collection's `close`, false after a `,` another entry follows. */
  private endOfEntry(close: string): boolean {
    this.spaces();
    const next = this.text[this.pos++];
    if (next === close) return true;
    if (next !== ',') notSimple();
    this.spaces();
    // A trailing comma.
    if (this.text[this.pos] === close) notSimple();
    return false;
  }

  /** A plain scalar in a flow collection: up to a flow indicator, or a `:` that ends a key. */
  private flowPlain(asWritten: boolean): unknown {
    const text = this.text;
    const start = this.pos;
    const first = text[start];
    if (first === undefined || NOT_PLAIN_START.includes(first)) notSimple();
    if (first === '-' && (text[start + 1] === ' ' || text[start + 1] === undefined || FLOW_INDICATORS.includes(text[start + 1]))) notSimple();
    let end = start;
    for (let p = start; p < text.length; p++) {
      const c = text[p];
      if (c === ' ') {
        // A comment inside a flow collection.
        if (text[p + 1] === '#') notSimple();
        continue;
      }
      if (FLOW_INDICATORS.includes(c)) break;
      if (c === ':' && (p + 1 === text.length || text[p + 1] === ' ' || FLOW_INDICATORS.includes(text[p + 1]))) break;
      end = p + 1;
    }
    this.pos = end;
    return this.scalar(text.slice(start, end), asWritten);
  }

  /** A quoted scalar that ends on its line and has no escapes. */
  private quoted(): string {
    const text = this.text;
    const quote = text[this.pos];
    let value = '';
    let from = this.pos + 1;
    for (;;) {
      const close = text.indexOf(quote, from);
      if (close < 0) notSimple();
      value += text.slice(from, close);
      if (quote === "'" && text[close + 1] === "'") {
        value += "'";
        from = close + 2;
        continue;
      }
      this.pos = close + 1;
      if (quote === '"' && value.includes('\\')) notSimple();
      return value;
    }
  }
}
