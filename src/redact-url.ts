/** A URL as shown in reports, logs and messages: without the user and password it may hold. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    // Not a URL: nothing in it can be told from a credential, so none of it is shown.
    return 'a URL that does not parse';
  }
}
