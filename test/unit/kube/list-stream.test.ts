import { describe, expect, it } from 'vitest';
import { ListDecodeError, ListStreamDecoder } from '../../../src/kube/list-stream.js';

/** Deterministic chunk sizes from 1 byte up, so every boundary (inside strings, escapes, UTF-8) is crossed. */
function chunks(bytes: Buffer, seed: number): Buffer[] {
  const out: Buffer[] = [];
  let state = seed;
  for (let at = 0; at < bytes.length; ) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (state % 97);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

function decode(text: string, seed: number) {
  const items: unknown[] = [];
  const decoder = new ListStreamDecoder((item) => items.push(item));
  for (const chunk of chunks(Buffer.from(text), seed)) decoder.write(chunk);
  return { items, envelope: decoder.end(), count: decoder.items };
}

const tricky = [
  { metadata: { name: 'a}"]{[', labels: { 'x\\"y': 'é€😀' } }, spec: { list: [1, [2, { deep: '}' }]] } },
  { metadata: { name: 'b', annotations: { items: '[{"items":[]}]' } }, status: { message: 'line\nbreak \\' } },
  { metadata: { name: 'c' }, spec: {} },
  // Runs of backslashes before quotes, cut anywhere: an odd run escapes the quote, an even one does not.
  { metadata: { name: 'd\\', labels: { '\\"k\\\\': '\\\\"v\\' } } },
];

describe('decoding a list as it streams', () => {
  it('hands on every item whole, and the envelope without them, wherever the chunks are cut', () => {
    const list = {
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '42', continue: 'token' },
      items: tricky,
      after: { items: [9] },
    };
    for (let seed = 1; seed <= 40; seed++) {
      const { items, envelope, count } = decode(JSON.stringify(list, null, seed % 2 ? 2 : undefined), seed);
      expect(items).toEqual(tricky);
      expect(count).toBe(tricky.length);
      expect(envelope).toEqual({ ...list, items: [] });
    }
  });

  it('tells escaped quotes from closing ones after runs of backslashes, wherever a chunk ends', () => {
    const names = ['\\', '\\\\', '"', '\\"', '\\\\"\\', 'a\\\\\\"}]{[b', '\\'.repeat(9)];
    const items = names.map((name) => ({ metadata: { name }, spec: { after: '}' } }));
    const text = JSON.stringify({ kind: 'List', metadata: {}, items });
    for (let seed = 1; seed <= 60; seed++) expect(decode(text, seed).items).toEqual(items);
    // One byte at a time: every escape state crosses a chunk boundary.
    const decoded: unknown[] = [];
    const decoder = new ListStreamDecoder((item) => decoded.push(item));
    for (const byte of Buffer.from(text)) decoder.write(Buffer.from([byte]));
    decoder.end();
    expect(decoded).toEqual(items);
  });

  it('reads an empty list and one whose items come before its metadata', () => {
    expect(decode('{"kind":"PodList","items":[],"metadata":{}}', 3)).toEqual({
      items: [],
      envelope: { kind: 'PodList', items: [], metadata: {} },
      count: 0,
    });
    const { items, envelope } = decode('{"items":[{"a":1},{"b":"}"}],"metadata":{"continue":"x"}}', 5);
    expect(items).toEqual([{ a: 1 }, { b: '}' }]);
    expect(envelope.metadata?.continue).toBe('x');
  });

  it('refuses a list cut short, and text that is not a list', () => {
    const whole = JSON.stringify({ kind: 'PodList', metadata: {}, items: tricky });
    expect(() => decode(whole.slice(0, whole.length - 40), 7)).toThrow(ListDecodeError);
    expect(() => decode(whole.slice(0, whole.length - 1), 7)).toThrow(
      /not valid JSON \(it ended before the list was complete/,
    );
    expect(() => decode('<html>login</html>', 1)).toThrow(ListDecodeError);
  });
});
