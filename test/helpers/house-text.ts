import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { layerOf, listSources } from './import-graph.js';

/**
 * Rules of the house read from the code itself rather than from its imports (docs/ARCHITECTURE.md):
 * which words a layer speaks, casts that hide a type, functions too long to read at once.
 * Each returns `file:line: …` entries, empty when the rule holds.
 */

function parse(root: string, file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

function lineOf(source: ts.SourceFile, node: ts.Node): number {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

/** The words of the CLI and of playbooks that a lower layer must not speak. */
export interface HouseWords {
  /** inc's commands (`run`, `sim`): found as "inc run", "kubectl inc run". */
  commands: readonly string[];
  /** Playbook action names (`rollout.undo`): found as a whole string. */
  actions: readonly string[];
}

/**
 * Strings in files under `folder/` that name an inc command or a playbook action: that layer
 * knows neither (comments are free to mention them).
 */
export function findCommandWords(root: string, folder: string, words: HouseWords): string[] {
  const commandText = new RegExp(`\\binc (${words.commands.join('|')})\\b`);
  const actionNames = words.actions;
  const found: string[] = [];
  for (const file of listSources(root).filter((f) => layerOf(f) === folder)) {
    const source = parse(root, file);
    walk(source, (node) => {
      if (!ts.isStringLiteralLike(node) && !ts.isTemplateLiteralToken(node)) return;
      const text = node.text;
      const word = commandText.exec(text)?.[0] ?? actionNames.find((name) => text === name);
      if (word) found.push(`${file}:${lineOf(source, node)}: ${word}`);
    });
  }
  return found;
}

/** Casts to `never` (or `never[]`): they silence the checker where a type was lost. */
export function findNeverCasts(root: string): string[] {
  const found: string[] = [];
  for (const file of listSources(root)) {
    const source = parse(root, file);
    walk(source, (node) => {
      if (!ts.isAsExpression(node) && !ts.isTypeAssertionExpression(node)) return;
      const type = node.type;
      const never = ts.isArrayTypeNode(type) ? type.elementType : type;
      if (never.kind === ts.SyntaxKind.NeverKeyword)
        found.push(`${file}:${lineOf(source, node)}: ${node.getText(source).replace(/\s+/g, ' ')}`);
    });
  }
  return found;
}

/** Functions (declarations, methods, arrows) whose text spans more than `maxLines` lines. */
export function findLongFunctions(root: string, maxLines: number): string[] {
  const found: string[] = [];
  for (const file of listSources(root)) {
    const source = parse(root, file);
    walk(source, (node) => {
      if (!ts.isFunctionLike(node) || !('body' in node) || !node.body) return;
      const first = lineOf(source, node);
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
      if (last - first + 1 > maxLines) found.push(`${file}:${first}: ${nameOf(node)} (${last - first + 1} lines)`);
    });
  }
  return found;
}

function nameOf(node: ts.SignatureDeclaration): string {
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText();
  return '(anonymous)';
}
