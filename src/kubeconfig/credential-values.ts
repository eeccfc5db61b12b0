import type { RawUser } from './read-kubeconfig.js';

/** An argument naming a secret as the next one: `--client-secret X`, `--token X`. */
const SECRET_ARGUMENT = /(secret|token|password|passwd|credential|api[-_]?key)$/i;

/**
 * The secret values a kubeconfig user holds: its token and password, an auth provider's config
 * (id and refresh tokens, client secret), a credential plugin's environment values and the argument
 * after a secret-naming flag. A server's error page or a plugin's error output can echo any of them.
 */
export function credentialValues(user: RawUser): string[] {
  const values: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.trim()) values.push(value);
  };
  add(user.token);
  add(user.password);
  const provider = user['auth-provider'] as { config?: Record<string, unknown> } | undefined;
  for (const [key, value] of Object.entries(provider?.config ?? {})) if (/token|secret/i.test(key)) add(value);
  const exec = user.exec as { env?: { name?: string; value?: unknown }[]; args?: unknown[] } | undefined;
  for (const entry of exec?.env ?? []) add(entry?.value);
  const args = exec?.args ?? [];
  args.forEach((arg, index) => {
    if (typeof arg !== 'string') return;
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    if (inline !== undefined && SECRET_ARGUMENT.test(flag ?? '')) add(inline);
    else if (SECRET_ARGUMENT.test(arg) && arg.startsWith('-')) add(args[index + 1]);
  });
  return values;
}
