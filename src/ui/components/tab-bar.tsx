/**
 * A tab list following the WAI-ARIA tabs pattern: `role="tablist"` of `role="tab"` buttons with
 * `aria-selected` and `aria-controls`, one tab in the Tab order (roving `tabIndex`), ←/→ move to
 * the previous/next tab (wrapping), Home/End to the first/last; moving selects (automatic
 * activation). Used for the views and for the SQL editor's query tabs.
 */
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

/** One tab of a {@link TabBar}. */
export interface TabItem<K extends string> {
  key: K;
  label: ReactNode;
  /** Extra content after the label inside the tab (e.g. a close button is NOT allowed: put it beside). */
  testId?: string;
}

export interface TabBarProps<K extends string> {
  items: readonly TabItem<K>[];
  selected: K;
  onSelect: (key: K) => void;
  /** Accessible name of the tab list. */
  label: string;
  /** Id of the tab panel the tabs control (one panel whose content follows the selection). */
  panelId: string;
  /** Id prefix of the tab buttons (`${idPrefix}-${key}`), for the panel's `aria-labelledby`. */
  idPrefix: string;
  className?: string;
  testId?: string;
  /** Shown after the tabs, inside the bar (not a tab). */
  after?: ReactNode;
}

export function TabBar<K extends string>({ items, selected, onSelect, label, panelId, idPrefix, className, testId, after }: TabBarProps<K>) {
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = items.findIndex((t) => t.key === selected);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % items.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + items.length) % items.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const key = items[next].key;
    onSelect(key);
    refs.current.get(key)?.focus();
  };
  return (
    <div className={className ?? 'tabs'} data-testid={testId}>
      <div role="tablist" aria-label={label} className="tablist" onKeyDown={onKeyDown}>
        {items.map((t) => (
          <button
            key={t.key}
            ref={(el) => {
              if (el) refs.current.set(t.key, el);
              else refs.current.delete(t.key);
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-${t.key}`}
            aria-selected={t.key === selected}
            aria-controls={panelId}
            tabIndex={t.key === selected ? 0 : -1}
            className={t.key === selected ? 'tab selected' : 'tab'}
            data-testid={t.testId}
            onClick={() => onSelect(t.key)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {after}
    </div>
  );
}
