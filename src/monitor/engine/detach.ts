// Copies of strings kept for a long time (state keys), so they hold nothing of the text they were cut from.

/**
 * A string with no tie to the text it was cut from. V8 keeps a slice of 13 or more characters as a view into its
 * parent; a key kept for days should not keep its whole log line (or more) alive with it.
 */
export const detach = (s: string): string => (s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string));
