/**
 * The instant `days` business days after `iso`: Saturdays and Sundays (in UTC) are skipped, the time
 * of day is kept. Holidays are not known; a team that needs them sets a longer deadline.
 */
export function addBusinessDays(iso: string, days: number): string {
  const date = new Date(iso);
  let left = days;
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return date.toISOString();
}
