import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileFormatError } from '../../../src/errors.js';
import { builtinTemplatesDir, createTemplateRenderer } from '../../../src/report/template-engine.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inc-templates-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('createTemplateRenderer', () => {
  it('finds the built-in templates beside the package', () => {
    expect(builtinTemplatesDir()).toMatch(/templates$/);
  });

  it('prefers a user template of the same name and falls back to the built-in ones', async () => {
    writeFileSync(join(dir, 'update-text.liquid'), 'custom {{ update.status | upcase }}');
    const renderer = await createTemplateRenderer({ userDirs: [join(dir, 'missing'), dir] });
    expect(await renderer.render('update-text', { update: { status: 'identified' } })).toBe('custom IDENTIFIED');
    const handoff = await renderer.render('handoff.md', {
      handoff: {
        generatedAt: 'now',
        summary: 'No open incidents.',
        open: [],
        recent: [],
        watch: [],
        windowDays: 7,
        notes: [],
        contacts: [],
      },
    });
    expect(handoff).toContain('# On-call handoff, now');
  });

  it('makes a misspelt variable an error naming the file and line, not a blank', async () => {
    writeFileSync(join(dir, 'update-text.liquid'), 'Status: {{ update.status }}\nImpact: {{ update.impcat }}\n');
    const renderer = await createTemplateRenderer({ userDirs: [dir] });
    const error = await renderer
      .render('update-text', { update: { status: 'x', impact: 'y' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileFormatError);
    expect((error as FileFormatError).file).toBe(join(dir, 'update-text.liquid'));
    expect((error as FileFormatError).line).toBe(2);
    expect((error as FileFormatError).message).toMatch(/update-text\.liquid:2:\d+: template error: .*impcat/);
    expect((error as FileFormatError).hint).toMatch(/remove it to use the built-in one/);
  });

  it('reports a broken template and an unknown filter with their line', async () => {
    writeFileSync(join(dir, 'update-text.liquid'), 'one\ntwo\n{% if update.status %}\nunclosed\n');
    writeFileSync(join(dir, 'update-slack.liquid'), 'one\n{{ update.status | shout }}\n');
    const renderer = await createTemplateRenderer({ userDirs: [dir] });
    const broken = (await renderer
      .render('update-text', { update: { status: 'x' } })
      .catch((e: unknown) => e)) as FileFormatError;
    expect(broken).toBeInstanceOf(FileFormatError);
    expect(broken.line).toBe(3);
    const filter = (await renderer
      .render('update-slack', { update: { status: 'x' } })
      .catch((e: unknown) => e)) as FileFormatError;
    expect(filter).toBeInstanceOf(FileFormatError);
    expect(filter.line).toBe(2);
    expect(filter.message).toMatch(/shout/);
  });

  it('escapes table cells and Slack text through its filters', async () => {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'cells.liquid'), '{{ a | md_cell }}|{{ b | slack_escape }}|{{ c | one_line }}');
    const renderer = await createTemplateRenderer({ userDirs: [dir] });
    expect(await renderer.render('cells', { a: 'x | y\nz', b: '<@U1> & co', c: ' one\n two ' })).toBe(
      'x \\| y z|&lt;@U1&gt; &amp; co|one two',
    );
  });

  it('turns habitual Markdown into Slack mrkdwn', async () => {
    writeFileSync(join(dir, 'slack.liquid'), '{{ t | slack_text }}');
    const renderer = await createTemplateRenderer({ userDirs: [dir] });
    expect(await renderer.render('slack', { t: '**down** for <5% ~~all~~ [graph](https://g.example/x?a=1&b=2)' })).toBe(
      '*down* for &lt;5% ~all~ <https://g.example/x?a=1&amp;b=2|graph>',
    );
  });

  it('ends a sentence once', async () => {
    writeFileSync(join(dir, 's.liquid'), '{{ a | sentence }}|{{ b | sentence }}|{{ c | sentence }}');
    const renderer = await createTemplateRenderer({ userDirs: [dir] });
    expect(await renderer.render('s', { a: 'fails', b: 'fails.', c: 'fails?\n' })).toBe('fails.|fails.|fails?');
  });

  it('names the template that does not exist', async () => {
    const renderer = await createTemplateRenderer({ userDirs: [dir] });
    await expect(renderer.render('update-fax', {})).rejects.toThrow(/no template named "update-fax"/);
  });
});
