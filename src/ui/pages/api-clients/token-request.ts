// The curl command that gets an access token with a client's credentials, ready to paste into a POSIX shell.

const SHELL_SAFE = /^[\w@%+=:,./-]+$/;

/** One shell word: as it is when nothing in it is special to the shell, else in single quotes (a quote inside as '\''). */
function shellWord(value: string): string {
  return SHELL_SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function tokenRequestCommand(tokenUrl: string, clientId: string, clientSecret: string): string {
  return `curl -u ${shellWord(`${clientId}:${clientSecret}`)} -d grant_type=client_credentials ${shellWord(tokenUrl)}`;
}
