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
 * are what a terminal shows: a wide character counts two columns, colour codes none.
 */
export function formatColumns(
  rows: readonly (readonly string[])[],
  style?: (row: number, col: number, cell: string) => string,
): string[] {
  // One line per row: a title with line breaks (from a merged log, say) must not break the table.
  const cells = rows.map((row) => row.map((cell) => cell.replace(/[ \t]*[\r\n\u2028\u2029]+[ \t]*/g, ' ')));
  const widths: number[] = [];
  for (const row of cells) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, stringWidth(cell));
    });
  }
  return cells.map((row, r) =>
    row
      .map((cell, c) => {
        const padded = c === row.length - 1 ? cell : cell + ' '.repeat((widths[c] ?? 0) - stringWidth(cell));
        return style ? style(r, c, padded) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
}
