/**
 * Decodes a list answer (`{"kind":…,"metadata":…,"items":[…]}`) as its bytes arrive: each item of
 * `items` is handed on as soon as its closing brace is read, so a page of thousands of pods never
 * exists whole, neither as text nor as objects. The scanner only finds where each item starts and
 * ends; the native JSON.parse decodes it (a tokenizing parser written in JavaScript would be several
 * times slower on the 100+ MB that 50,000 pods weigh).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** The list without its items, and whether the text was whole. */
export interface ListEnvelope {
  kind?: string;
  metadata?: { continue?: string; resourceVersion?: string };
}

/** Thrown when the answer is not a JSON list, or ends before it is complete. */
export class ListDecodeError extends Error {}

export class ListStreamDecoder {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Depth 1 bytes outside `items` (kind, metadata), re-parsed at the end: a few hundred bytes. */
  private envelope: Buffer[] = [];
  private lastKey = '';
  private keyStart = -1;
  private keyParts: Buffer[] = [];
  /** Inside the `items` array (depth 2). */
  private inItems = false;
  private itemsDone = false;
  /** Pieces of the item being read, from its opening brace on. */
  private item: Buffer[] = [];
  /** Where the item being read starts in this chunk; -1: none, -2: it began in an earlier chunk. */
  private itemStart = -1;
  private count = 0;

  constructor(private readonly onItem: (item: unknown) => void) {}

  /** Items decoded so far. */
  get items(): number {
    return this.count;
  }

  write(chunk: Buffer): void {
    let envelopeFrom = this.inItems ? -1 : 0;
    if (this.itemStart === -2) this.itemStart = 0;
    const length = chunk.length;
    let i = 0;
    while (i < length) {
      if (this.inString) {
        // Most of a list's bytes are inside strings: jump to the closing quote natively.
        const close = this.closingQuote(chunk, i);
        if (close === -1) break;
        this.inString = false;
        if (this.keyStart !== -1) this.endKey(chunk, close);
        i = close + 1;
        continue;
      }
      const byte = chunk[i] as number;
      if (byte === QUOTE) {
        this.inString = true;
        if (this.depth === 1 && !this.inItems) this.keyStart = i + 1;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        this.depth++;
        if (this.depth === 2 && byte === OPEN_BRACKET && this.lastKey === 'items' && !this.itemsDone) {
          // The envelope keeps `[` and the closing `]`, so it parses as a list with no items.
          this.envelope.push(chunk.subarray(envelopeFrom, i + 1));
          envelopeFrom = -1;
          this.inItems = true;
        } else if (this.depth === 3 && this.inItems) this.itemStart = i;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === 2 && this.inItems && byte === CLOSE_BRACE) this.endItem(chunk, i);
        else if (this.depth === 1 && this.inItems) {
          this.inItems = false;
          this.itemsDone = true;
          envelopeFrom = i;
        }
      }
      i++;
    }
    if (this.itemStart >= 0) {
      this.item.push(chunk.subarray(this.itemStart));
      this.itemStart = -2;
    }
    if (this.keyStart !== -1) {
      this.keyParts.push(chunk.subarray(this.keyStart));
      this.keyStart = 0;
    }
    if (envelopeFrom !== -1 && !this.inItems) this.envelope.push(chunk.subarray(envelopeFrom));
  }

  /** The list's kind and metadata; throws ListDecodeError when the text was cut short or not a list. */
  end(): ListEnvelope {
    if (this.depth !== 0 || this.inString || this.inItems)
      throw new ListDecodeError(
        `the answer was not valid JSON (it ended before the list was complete, after ${this.count} items; cut off?)`,
      );
    try {
      return JSON.parse(Buffer.concat(this.envelope).toString('utf8')) as ListEnvelope;
    } catch (error) {
      throw new ListDecodeError('the answer was not valid JSON (not a list)', { cause: error });
    }
  }

  /**
   * Where the string being read ends in this chunk (its closing quote), from `from` on; -1 when the
   * chunk ends first, keeping whether its last byte escapes the next chunk's first. A quote is escaped
   * when an odd run of backslashes precedes it.
   */
  private closingQuote(chunk: Buffer, from: number): number {
    let at = from;
    if (this.escaped) {
      if (at >= chunk.length) return -1;
      this.escaped = false;
      at++;
    }
    for (;;) {
      const quote = chunk.indexOf(QUOTE, at);
      if (quote === -1) {
        this.escaped = backslashesBefore(chunk, at, chunk.length) % 2 === 1;
        return -1;
      }
      if (backslashesBefore(chunk, at, quote) % 2 === 0) return quote;
      at = quote + 1;
    }
  }

  private endKey(chunk: Buffer, quote: number): void {
    if (this.depth === 1 && !this.inItems) {
      const tail = chunk.subarray(this.keyStart, quote);
      this.lastKey = (this.keyParts.length ? Buffer.concat([...this.keyParts, tail]) : tail).toString('utf8');
    }
    this.keyStart = -1;
    this.keyParts = [];
  }

  private endItem(chunk: Buffer, close: number): void {
    const tail = chunk.subarray(this.itemStart, close + 1);
    const bytes = this.item.length ? Buffer.concat([...this.item, tail]) : tail;
    this.item = [];
    this.itemStart = -1;
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new ListDecodeError(`the answer was not valid JSON (item ${this.count + 1} of the list)`, { cause: error });
    }
    this.count++;
    this.onItem(value);
  }
}

/** The run of backslashes that ends just before `end`, not looking before `from`. */
function backslashesBefore(chunk: Buffer, from: number, end: number): number {
  let at = end;
  while (at > from && chunk[at - 1] === BACKSLASH) at--;
  return end - at;
}
