import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTION_NAMES } from '../../src/playbooks/action-with.js';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The README's lists that mirror a registry of the code: a new entry there must be documented. */
describe('the README lists', () => {
  it('every playbook action a step may use', () => {
    const paragraph = /Actions: (`[\s\S]*?)\n\(`inc playbooks schema` lists the fields of each\)/.exec(README)?.[1];
    expect(paragraph, 'README has the "Actions: …" paragraph of inc playbooks').toBeDefined();
    const listed = [...(paragraph ?? '').matchAll(/`([a-z.-]+)`/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...ACTION_NAMES].sort());
  });

  it('every built-in simulator scenario in the scenario table', () => {
    const scenarios = readdirSync(fileURLToPath(new URL('../../src/sim/scenarios/', import.meta.url)))
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => file.replace(/\.yaml$/, ''));
    const start = README.indexOf('| scenario | culprit |');
    const table = README.slice(start, README.indexOf('\n\n', start));
    const rows = [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual(scenarios.sort());
  });
});
