/**
 * Validation of what a webview sends: webviews are a trust boundary, so the host drops anything that
 * is not a known message with the fields its type says. Each channel gives one check per message
 * type in a table typed Record<Message['type'], ...>: a new message type without its check does not
 * compile.
 */

/** Checks the fields of a message whose `type` is known. */
export type FieldCheck = (message: Record<string, unknown>) => boolean;

/** For messages that carry nothing but their type. */
export const noFields: FieldCheck = () => true;

export function messageValidator<M extends { type: string }>(
  checks: Record<M['type'], FieldCheck>,
): (value: unknown) => value is M {
  return (value: unknown): value is M => {
    if (typeof value !== 'object' || value === null) return false;
    const type = (value as { type?: unknown }).type;
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(checks, type)) return false;
    return checks[type as M['type']](value as Record<string, unknown>);
  };
}
