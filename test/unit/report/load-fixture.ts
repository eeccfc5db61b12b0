import { readFileSync } from 'node:fs';
import type { IncidentEvent } from '../../../src/incident/event.js';

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
