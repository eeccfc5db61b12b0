import { describe, expect, it } from 'vitest';
import { tidyMarkdown } from '../../../src/report/tidy-markdown.js';

describe('tidyMarkdown', () => {
  it('collapses blank runs and trailing spaces, ends with one newline, and leaves code fences alone', () => {
    const input = '\n\n# Title  \n\n\n\ntext\t\n\n```sh\na  \n\n\nb\n```\n\n\n';
    expect(tidyMarkdown(input)).toBe('# Title\n\ntext\n\n```sh\na  \n\n\nb\n```\n');
  });
});
