/**
 * Opt-in "remember on this device" for connection settings. Nothing is stored unless the user
 * ticks the box; unticking it (or "Forget") removes what was stored. Stored in `localStorage` under
 * one key per kind, as JSON.
 */

/** Storage key of a connection kind, e.g. `delta-explorer:remember:s3`. */
export function rememberKey(kind: 's3' | 'lakefs'): string {
  return `delta-explorer:remember:${kind}`;
}

/** The remembered settings of a kind, or null (none, or unreadable). */
export function recall<T>(kind: 's3' | 'lakefs'): T | null {
  try {
    const text = window.localStorage.getItem(rememberKey(kind));
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

/** Stores (`value` given) or forgets (`null`) the settings of a kind. Storage errors are ignored. */
export function remember(kind: 's3' | 'lakefs', value: unknown | null): void {
  try {
    if (value === null) window.localStorage.removeItem(rememberKey(kind));
    else window.localStorage.setItem(rememberKey(kind), JSON.stringify(value));
  } catch {
    /* private mode, quota: nothing remembered */
  }
}
