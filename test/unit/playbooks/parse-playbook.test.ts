import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlaybookValidationError } from '../../../src/playbooks/errors.js';
import { builtinPlaybookDir } from '../../../src/playbooks/load-playbooks.js';
import { parsePlaybook } from '../../../src/playbooks/parse-playbook.js';
import { playbookJsonSchema } from '../../../src/playbooks/schema.js';

function issuesOf(text: string) {
  try {
    parsePlaybook(text, 'pb.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(PlaybookValidationError);
    return (error as PlaybookValidationError).issues;
  }
  throw new Error('expected the playbook to be refused');
}

const HEADER = `apiVersion: inc/v1
kind: Playbook
metadata: { name: demo, title: Demo }
params:
  - { name: namespace, type: string, required: true }
  - { name: deployment, type: string, required: true }
`;

describe('parsePlaybook', () => {
  it('accepts every built-in playbook', () => {
    const dir = builtinPlaybookDir();
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const playbook = parsePlaybook(readFileSync(join(dir, file), 'utf8'), file);
      expect(`${playbook.metadata.name}.yaml`).toBe(file);
    }
  });

  it('names the line and column of a YAML syntax error', () => {
    const issues = issuesOf(`${HEADER}steps:\n  - id: a\n    action: note\n    with: { text: "x" \n`);
    expect(issues[0]?.message).toMatch(/YAML syntax/);
    expect(issues[0]?.line).toBeGreaterThanOrEqual(9);
  });

  it('names the key given twice, at the second one', () => {
    const issues = issuesOf(`${HEADER}steps:\n  - id: a\n    action: note\n    action: scale\n    with: { text: x }\n`);
    expect(issues[0]).toMatchObject({
      line: 10,
      column: 5,
      message: 'YAML syntax: the key "action" is given twice in the same mapping',
    });
  });

  it('says a step without an action misses it, with the known actions', () => {
    const issues = issuesOf(`${HEADER}steps:\n  - id: a\n    with: { text: x }\n`);
    expect(issues[0]?.message).toMatch(/^missing required field "action" \(known actions: rollout\.history, /);
  });

  it('lists the known actions for an unknown one, at its position', () => {
    const issues = issuesOf(`${HEADER}steps:\n  - id: a\n    action: rollout.nuke\n    with: {}\n`);
    expect(issues[0]).toMatchObject({ line: 9, column: 13, path: 'steps.0.action' });
    expect(issues[0]?.message).toContain('unknown action "rollout.nuke"');
    expect(issues[0]?.message).toContain('rollout.undo');
  });

  it('lists the allowed fields for an unknown with key', () => {
    const issues = issuesOf(
      `${HEADER}steps:\n  - id: a\n    action: scale\n    with:\n      namespace: "{{namespace}}"\n      deployment: x\n      replicas: 2\n      replica: 3\n`,
    );
    expect(issues[0]?.message).toContain('unknown field "replica" for action scale');
    expect(issues[0]?.message).toContain('allowed: namespace, deployment, kind, replicas, currentReplicas');
    expect(issues[0]).toMatchObject({ line: 14, column: 7 });
  });

  it('refuses wrong types and unknown parameter references', () => {
    const issues = issuesOf(
      `${HEADER}steps:\n  - id: a\n    action: scale\n    with: { namespace: "{{ns}}", deployment: x, replicas: many }\n`,
    );
    const messages = issues.map((i) => i.message).join('\n');
    expect(messages).toContain('unknown parameter "{{ns}}"');
    expect(messages).toMatch(/replicas|number/);
  });

  it('refuses a field that is one parameter whose type it can never take, and nothing else', () => {
    const issues = issuesOf(
      `${HEADER}  - { name: count, type: string }\n  - { name: wait, type: string, default: 5m }\nsteps:\n  - id: a\n    action: scale\n    with: { namespace: "{{namespace}}", deployment: "{{deployment}}", replicas: "{{count}}" }\n  - { id: b, action: rollout.status, with: { namespace: x, deployment: y, timeout: "{{wait}}" } }\n`,
    );
    expect(issues).toEqual([
      {
        file: 'pb.yaml',
        line: 12,
        column: 81,
        path: 'steps.0.with.replicas',
        message: 'replicas takes a number, but parameter "count" is of type string (declare it type: integer)',
      },
    ]);
  });

  it("refuses a step's timeout that is not a duration, at its position", () => {
    const issues = issuesOf(
      `${HEADER}steps:\n  - id: a\n    action: scale\n    with: { namespace: x, deployment: y, replicas: 2 }\n    timeout: 5x\n`,
    );
    expect(issues[0]).toMatchObject({ line: 11, column: 14, path: 'steps.0.timeout' });
    expect(issues[0]?.message).toContain('must be a duration such as 30s, 5m or 1h30m, got the text "5x"');
  });

  it('refuses a literal name that is not DNS-1123', () => {
    const issues = issuesOf(
      `${HEADER}steps:\n  - id: a\n    action: rollout.undo\n    with: { namespace: "shop;rm -rf /", deployment: api }\n`,
    );
    expect(issues[0]?.path).toBe('steps.0.with.namespace');
    expect(issues[0]?.message).toMatch(/DNS-1123/);
  });

  it('reports a missing required field and a missing required with field', () => {
    const missingTitle = issuesOf(
      `apiVersion: inc/v1\nkind: Playbook\nmetadata: { name: x }\nsteps:\n  - { id: a, action: note, with: { text: hi } }\n`,
    );
    expect(missingTitle.map((i) => i.message)).toContain('missing required field "title"');
    const missingWith = issuesOf(
      `${HEADER}steps:\n  - { id: a, action: scale, with: { namespace: a, deployment: b } }\n`,
    );
    expect(missingWith.map((i) => i.message)).toContain('action scale needs "replicas" in with');
  });

  it('reports the schema problems and those of the parts that parsed in one pass, in file order', () => {
    const text = `apiVersion: inc/v1
kind: Playbook
metadata: { name: drain, title: Drain, owner: payments }
params:
  - { name: namespace, type: string, required: true }
  - { name: replicas, type: integr }
  - { name: namespace, type: string }
steps:
  - id: scale
    action: scale
    with: { namespace: "{{namespace}}", deployment: "{{deploymnt}}", replicas: "{{replicas}}", colour: red }
  - id: wait
    action: nosuch.action
  - id: scale
    action: rollout.restart
    timeout: 5 minutes
`;
    const issues = issuesOf(text).map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);
    expect(issues).toEqual([
      '3:40 metadata: unknown field "owner" (allowed: name, title, description, tags)',
      expect.stringMatching(/^6:29 params\.1\.type: must be one of "string"/),
      '7:13 params.2.name: duplicate parameter "namespace"',
      '11:53 steps.0.with.deployment: unknown parameter "{{deploymnt}}" (parameters: namespace, replicas)',
      '11:96 steps.0.with.colour: unknown field "colour" for action scale (allowed: namespace, deployment, kind, replicas, currentReplicas)',
      expect.stringMatching(/^13:13 steps\.1\.action: unknown action "nosuch\.action"/),
      '14:5 steps.2.with: action rollout.restart needs "namespace" in with',
      '14:5 steps.2.with: action rollout.restart needs "deployment" in with',
      '14:9 steps.2.id: duplicate step id "scale"',
      '16:14 steps.2.timeout: must be a duration such as 30s, 5m or 1h30m, got the text "5 minutes"',
    ]);
  });

  it('checks the steps that parsed without crashing on params or steps of the wrong shape', () => {
    const step = '  - { id: a, action: note, with: { text: "{{nobody}}" } }\n';
    const head = 'apiVersion: inc/v1\nkind: Playbook\nmetadata: { name: x, title: X }\n';
    // params not a list: nothing it declares can be read, so references are not called unknown.
    const mapping = issuesOf(`${head}params: { namespace: 1 }\nsteps:\n${step}  - 7\n  - null\n  - { id: 3 }\n`);
    expect(mapping.some((i) => i.message.startsWith('unknown parameter'))).toBe(false);
    expect(mapping.length).toBeGreaterThan(0);
    // A param the schema refused still declares its name; one never declared is unknown.
    const refused = issuesOf(`${head}params:\n  - { name: nobody, type: 5 }\nsteps:\n${step}`);
    expect(refused.map((i) => i.path)).toEqual(['params.0.type']);
    const unknown = issuesOf(`${head}params: [7]\nsteps:\n${step}`);
    expect(unknown.map((i) => i.message)).toContainEqual(expect.stringMatching(/^unknown parameter "\{\{nobody\}\}"/));
    expect(issuesOf(`${head}steps: 5\n`).map((i) => i.path)).toEqual(['steps']);
    // A misspelt params: its references are not called unknown, the misspelling is the problem.
    const misspelt = issuesOf(`${head}parms:\n  - { name: nobody }\nsteps:\n${step}`);
    expect(misspelt.map((i) => i.message)).toEqual([expect.stringMatching(/^unknown field "parms"/)]);
  });

  it('exports a JSON Schema that names the actions', () => {
    const schema = JSON.stringify(playbookJsonSchema());
    expect(schema).toContain('"rollout.undo"');
    expect(schema).toContain('"inc/v1"');
  });
});
