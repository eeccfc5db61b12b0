import stringWidth from 'string-width';

/** The styling a renderer needs; the CLI's Theme satisfies it. */
export interface TextStyle {
  bold(text: string): string;
  dim(text: string): string;
  error(text: string): string;
  warn(text: string): string;
  ok(text: string): string;
  cmd(text: string): string;
  heading(text: string): string;
}

/**
 * Pads columns to the widest cell, as kubectl prints tables; styling is applied after padding. Widths
 * are what a terminal shows: a wide character counts two columns, colour codes none. With
 * `keepLastLines`, the last cell's own lines (a note with a pasted log) follow its first one, each
 * indented to where that column starts; otherwise every row is one line.
 */
export function formatColumns(
  rows: readonly (readonly string[])[],
  style?: (row: number, col: number, cell: string) => string,
  options: { keepLastLines?: boolean } = {},
): string[] {
  // One line per row: a title with line breaks (from a merged log, say) must not break the table.
  const flat = (cell: string) => cell.replace(/[ \t]*[\r\n\u2028\u2029]+[ \t]*/g, ' ');
  const more: string[][] = [];
  const cells = rows.map((row, r) =>
    row.map((cell, c) => {
      if (!options.keepLastLines || c < row.length - 1) return flat(cell);
      const [first = '', ...rest] = cell.split(/\r?\n|[\r\u2028\u2029]/);
      more[r] = rest;
      return first;
    }),
  );
  const widths: number[] = [];
  for (const row of cells) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, stringWidth(cell));
    });
  }
  return cells.flatMap((row, r) => {
    const line = row
      .map((cell, c) => {
        const padded = c === row.length - 1 ? cell : cell + ' '.repeat((widths[c] ?? 0) - stringWidth(cell));
        return style ? style(r, c, padded) : padded;
      })
      .join('  ')
      .trimEnd();
    const indent = ' '.repeat(widths.slice(0, row.length - 1).reduce((sum, width) => sum + width + 2, 0));
    return [line, ...(more[r] ?? []).map((text) => `${indent}${text}`.trimEnd())];
  });
}
