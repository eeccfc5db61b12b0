import { readFileSync } from 'node:fs';
import { KubeconfigError } from '../kubeconfig/kubeconfig-error.js';

/** A certificate or key the kubeconfig names as a file, or gives inline (base64). */
export function fileOrData(file: string | undefined, data: string | undefined, field: string, context: string) {
  if (file) return readKubeconfigFile(file, field, context);
  if (data) return Buffer.from(data, 'base64');
  return undefined;
}

/** A file the kubeconfig names (a certificate, a key, a token); one it cannot read is its error, as kubectl says. */
export function readKubeconfigFile(file: string, field: string, context: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw unreadableFile(file, field, context, error);
  }
}

/** `field`: the kubeconfig key naming the file (certificate-authority), when known. */
export function unreadableFile(
  file: string,
  field: string | undefined,
  context: string,
  error: unknown,
): KubeconfigError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
  const inline = field === 'tokenFile' ? 'the token' : field ? `${field}-data` : 'its content (the *-data key)';
  return new KubeconfigError(`unable to read ${field ? `${field} ` : ''}${file} of context ${context}: ${why}`, {
    hint: `fix the path in the kubeconfig (a relative one is from the kubeconfig's folder), or give ${inline} inline; kubectl --context ${context} fails the same way`,
    cause: error,
  });
}
