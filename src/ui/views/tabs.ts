/**
 * The tab list, as data: each tab's name (its `?view=` value), label, and the URL parameters its
 * view owns (read and written through `ViewProps.param`/`setParam`). The one place tabs are
 * listed: the URL state (`url-state.ts`: which `view=` values are valid, which parameters belong to
 * the table shown and go when another opens) and the registry (`registry.tsx`: how each renders,
 * in this order) both read it. No React here, so the URL code and its tests load without views.
 *
 * Adding a tab: an entry here, a renderer in `registry.tsx` (the type system asks for it).
 */

/** One tab. */
export interface TabInfo {
  name: string;
  label: string;
  /** URL parameters the view keeps its state in (e.g. `sql` of the Data tab). */
  params: readonly string[];
}

/** Every tab, in display order; the first is the default view. */
export const TAB_LIST = [
  { name: 'overview', label: 'Overview', params: [] },
  { name: 'history', label: 'History', params: ['commit', 'layout'] },
  { name: 'schema', label: 'Schema', params: [] },
  { name: 'partitions', label: 'Partitions', params: [] },
  { name: 'files', label: 'Files', params: ['search'] },
  { name: 'data', label: 'Data', params: ['sql'] },
  { name: 'changes', label: 'Changes', params: ['from', 'to'] },
  { name: 'compare', label: 'Compare', params: ['compare'] },
] as const satisfies readonly TabInfo[];

/** A tab's name (`?view=` value). */
export type ViewName = (typeof TAB_LIST)[number]['name'];

/** The tab names, in order. */
export const VIEW_NAMES: readonly ViewName[] = TAB_LIST.map((t) => t.name);

/** The tab shown when the URL names none. */
export const DEFAULT_VIEW: ViewName = TAB_LIST[0].name;

/** Every URL parameter some view owns (they describe the table shown, not the page). */
export const VIEW_PARAMS: ReadonlySet<string> = new Set(TAB_LIST.flatMap((t) => t.params));

/** A tab's entry. */
export function tabInfo(name: ViewName): TabInfo {
  return TAB_LIST.find((t) => t.name === name)!;
}
