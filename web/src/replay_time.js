// The replay's start time between the server (RFC 3339 UTC) and the page's
// <input type="datetime-local">, which holds UTC here (the header clock is UTC too).

/** "2026-11-25T16:11:38.369Z" -> "2026-11-25T16:11:38" (the input's value; seconds kept). */
export function inputValueFromIso(iso) {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)/.exec(iso ?? '');
  if (!m) return '';
  return `${m[1]}T${m[2].length === 5 ? `${m[2]}:00` : m[2]}`;
}

/**
 * The input's value -> "YYYY-MM-DDTHH:MM:SSZ", or '' when it is empty or not a time.
 * Browsers drop ":00" seconds from a datetime-local value ("2026-11-25T16:12"), and the server
 * wants RFC 3339, which has seconds: a whole minute would otherwise be refused. Fractions of a
 * second are cut (the recording's index is coarser than that anyway).
 */
export function isoFromInputValue(value) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(value ?? '');
  if (!m) return '';
  return `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}Z`;
}

/** "16:11:38" from an RFC 3339 time, for labels. */
export function clockOf(iso) {
  return (iso ?? '').slice(11, 19);
}
