import { readFileSync } from 'node:fs';
import type { ReportEvent } from '../../../src/report/report-event.js';

/** Reads an incident log fixture (JSONL) from test/fixtures/incidents. */
export function loadFixtureEvents(name: string): ReportEvent[] {
  const text = readFileSync(new URL(`../../fixtures/incidents/${name}.jsonl`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ReportEvent);
}

/** The events up to and including the given time (an incident still in progress). */
export function eventsUntil(events: readonly ReportEvent[], at: string): ReportEvent[] {
  return events.filter((event) => event.at <= at);
}
