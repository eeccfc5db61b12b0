import { readFileSync } from 'node:fs';
import { FakeClock } from '../../../src/clock.js';
import type { IncidentEvent } from '../../../src/incident/event.js';
import { type DeclaredIncident, deriveDeclaredIncident } from '../../../src/incident/state.js';

/** Reads an incident log fixture (JSONL) from test/fixtures/incidents. */
export function loadFixtureEvents(name: string): IncidentEvent[] {
  const text = readFileSync(new URL(`../../fixtures/incidents/${name}.jsonl`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as IncidentEvent);
}

/** The events up to and including the given time (an incident still in progress). */
export function eventsUntil(events: readonly IncidentEvent[], at: string): IncidentEvent[] {
  return events.filter((event) => event.at.slice(0, at.length) <= at);
}

/** The projection of an incident's events, derived as of its last event. */
export function projectIncident(id: string, events: readonly IncidentEvent[]): DeclaredIncident {
  return deriveDeclaredIncident(id, events, new FakeClock(events.at(-1)?.at ?? '2026-01-01T00:00:00Z'));
}

/** An event by alice at a time of 2026-01-10 ("14:06:00"). */
export function fixtureEvent(id: string, time: string, type: string, data: Record<string, unknown>): IncidentEvent {
  return { v: 1, id, at: `2026-01-10T${time}.000Z`, type, actor: 'alice', data } as IncidentEvent;
}

/** An `action` event on payments/api at a time of 2026-01-10 ("14:06:00"); `data` adds to or overrides the defaults. */
export function fixtureAction(id: string, time: string, data: Record<string, unknown>): IncidentEvent {
  const defaults = { action: 'rollout.undo', context: 'prod-eu' };
  const target = { kind: 'Deployment', namespace: 'payments', name: 'api' };
  return fixtureEvent(id, time, 'action', { ...defaults, target, ...data });
}
