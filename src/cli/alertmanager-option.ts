/** The `--alertmanager` option of every command that reads alerts; `purpose` says what it is read for. */
export function alertmanagerOption(purpose: string): [flags: string, description: string] {
  return [
    '--alertmanager <url>',
    `${purpose} (default: INC_ALERTMANAGER_URL, the config, else one found in the cluster)`,
  ];
}
