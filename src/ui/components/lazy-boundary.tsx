/**
 * Where a lazily loaded part of the app (a tab, a source panel) is shown: a fallback while its
 * chunk arrives, and an error panel in place of the part when it fails (its chunk cannot be
 * fetched, e.g. the app was redeployed since the page was opened, or it throws while rendering),
 * so the rest of the app stays usable.
 */
import { Component, Suspense, type ReactNode } from 'react';
import { ErrorPanel } from './error-panel.tsx';

/** True for the errors browsers give when a dynamic `import()` cannot load its module. */
export function isChunkLoadError(e: unknown): boolean {
  const m = e instanceof Error ? e.message : String(e);
  return /dynamically imported module|Importing a module script failed|error loading dynamically imported module|Loading chunk/i.test(m);
}

/** Suspense plus an error boundary for one lazily loaded part. */
export class LazyBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (error !== null) {
      const chunk = isChunkLoadError(error);
      return (
        <ErrorPanel
          error={{
            code: 'INTERNAL',
            message: `${chunk ? 'This part of the app could not be loaded' : 'This view failed'}: ${error instanceof Error ? error.message : String(error)}`,
            hint: chunk ? 'The app may have been updated since this page was opened: reload the page.' : 'Reload the page; if it happens again, please report it.',
          }}
          onDismiss={() => this.setState({ error: null })}
        />
      );
    }
    return <Suspense fallback={<p className="muted small" data-testid="view-loading">Loading…</p>}>{this.props.children}</Suspense>;
  }
}
