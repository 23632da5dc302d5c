/**
 * After a reload of a page that showed a local folder (or a table of an S3/lakeFS connection),
 * the table cannot simply be opened again from the URL. This notice says so plainly and offers the
 * next step — never another table in its place:
 * - a folder picked with "Open folder…" whose handle was saved: "Reopen ‹name›" asks the browser
 *   for read permission again (a click is required) and opens it;
 * - a dropped folder (no handle): pick or drop it again;
 * - a connection: connect again (credentials are only kept when the user asked to remember them).
 */
import type { SavedFolder } from './saved-folder.ts';

/** Why the page shows no table after a reload. */
export type RestoreState =
  | { kind: 'prompt'; saved: SavedFolder }
  | { kind: 'pick'; label: string }
  | { kind: 'connection'; label: string }
  | { kind: 'denied'; label: string };

export function FolderRestore({ state, onReopen, onDismiss }: { state: RestoreState; onReopen: (saved: SavedFolder) => void; onDismiss: () => void }) {
  return (
    <div className="notice info" role="status" data-testid="folder-restore" data-kind={state.kind}>
      {state.kind === 'prompt' ? (
        <p>
          This page showed the local folder <strong>{state.saved.label}</strong>. The browser needs your permission again to read it.{' '}
          <button type="button" className="primary" data-testid="folder-reopen" onClick={() => onReopen(state.saved)}>
            Reopen {state.saved.label}
          </button>
        </p>
      ) : state.kind === 'connection' ? (
        <p>
          This page showed <strong>{state.label || 'a table'}</strong> from an S3 or lakeFS connection, which does not survive a reload. Connect again with
          “S3…” or “lakeFS…” below.
        </p>
      ) : state.kind === 'denied' ? (
        <p>
          Reading the folder <strong>{state.label}</strong> was not allowed. Open it again with “Open folder…” below.
        </p>
      ) : (
        <p>
          This page showed the local folder <strong>{state.label || '(unnamed)'}</strong>. A dropped folder cannot be reopened after a reload: drop it again, or
          pick it with “Open folder…” below (a picked folder can be reopened after a reload).
        </p>
      )}
      <button type="button" className="link" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
