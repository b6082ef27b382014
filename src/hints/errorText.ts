/**
 * The words of a read pandas would fail on, as the hints show them. The engine names the file by the
 * absolute path it opened; next to the call, the file is named as the call names it (the CLI, run
 * where the script runs, says the same), and named once: a label of "path: /abs/path is UTF-16…"
 * spends the inlay hint's 43 characters on paths and loses the reason.
 */

/** `error` with the resolved path `file` written as `named` (the call's own path). */
export function errorForCall(error: string, file: string, named: string): string {
  return file && file !== named ? error.split(file).join(named) : error;
}

/** The label: the message, led by the file's name unless the message starts with it already. */
export function errorLabel(error: string, named: string): string {
  return error.startsWith(named) ? error : `${named}: ${error}`;
}
