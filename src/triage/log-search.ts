/**
 * Log search across pods, pure: each container's lines (fetched with `timestamps=true`) are merged
 * into one stream in time order, filtered by a pattern and counted per pod.
 */

/** One line as the API server sent it: "2024-05-01T12:00:00.123456789Z message". */
export interface LogLine {
  pod: string;
  container: string;
  /** The server's RFC 3339 timestamp, as sent. */
  at: string;
  text: string;
}

export interface LogStream {
  pod: string;
  container: string;
  /** The body of `pods/NAME/log?timestamps=true`. */
  body: string;
}

/** Splits a log body into lines, each with its timestamp (a line without one keeps the previous line's). */
export function parseLogStream(stream: LogStream): LogLine[] {
  const lines: LogLine[] = [];
  let last = '';
  for (const raw of stream.body.split('\n')) {
    if (raw === '') continue;
    const space = raw.indexOf(' ');
    const head = space > 0 ? raw.slice(0, space) : raw;
    const stamped = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(head);
    if (stamped) last = head;
    lines.push({
      pod: stream.pod,
      container: stream.container,
      at: stamped ? head : last,
      text: stamped ? raw.slice(space + 1) : raw,
    });
  }
  return lines;
}

/** A sortable key of an RFC 3339 time whatever its fraction's length (Go trims trailing zeros). */
export function timeKey(at: string): string {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$/.exec(at);
  if (!match) return at;
  const zone = match[3] && match[3] !== 'Z' ? match[3] : '';
  const base = zone ? new Date(`${match[1]}${zone}`).toISOString().slice(0, 19) : match[1]!;
  return `${base}.${(match[2] ?? '').padEnd(9, '0').slice(0, 9)}`;
}

/** Every stream's lines in one time-ordered list; lines of equal time keep their stream's order. */
export function mergeLogStreams(streams: readonly LogStream[]): LogLine[] {
  const keyed = streams.flatMap((stream, index) =>
    parseLogStream(stream).map((line, position) => ({ line, key: timeKey(line.at), index, position })),
  );
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index || a.position - b.position));
  return keyed.map((entry) => entry.line);
}

export interface LogSearchResult {
  lines: LogLine[];
  /** Matching lines per pod (every pod searched, zero included), in the order pods were given. */
  counts: { pod: string; matches: number }[];
}

/** The merged lines that match `pattern` (all of them without one), counted per pod. */
export function searchLogs(streams: readonly LogStream[], pattern?: RegExp): LogSearchResult {
  const merged = mergeLogStreams(streams);
  const lines = pattern ? merged.filter((line) => pattern.test(line.text)) : merged;
  const counts = new Map<string, number>();
  for (const stream of streams) counts.set(stream.pod, 0);
  for (const line of lines) counts.set(line.pod, (counts.get(line.pod) ?? 0) + 1);
  return { lines, counts: [...counts].map(([pod, matches]) => ({ pod, matches })) };
}
