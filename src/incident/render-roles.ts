import { formatLocalTime } from './describe.js';
import { describeRoles } from './roles.js';
import type { IncidentState } from './state.js';

/** `inc role` without arguments: each configured role and who holds it, then the handovers. */
export function renderRoles(state: IncidentState, roles: readonly string[]): string[] {
  const entries = describeRoles(state.roles, roles);
  const width = Math.max(...entries.map((entry) => entry.role.length)) + 2;
  const lines = entries.map((entry) => `${entry.role.padEnd(width)}${entry.name ?? '—'}`);
  if (state.roleHistory.length > 0) {
    lines.push('', 'Handovers:');
    for (const change of state.roleHistory) {
      const from = change.previous ? `${change.previous} → ` : '';
      lines.push(`  ${formatLocalTime(change.at, { date: true })}  ${change.role}: ${from}${change.name}`);
    }
  }
  return lines;
}
