/** An error as the user reads it: a title from its code, the message, where, and what to do next. */
import type { ErrorInfo } from '../../workers/api.ts';
import { describeError } from '../errors.ts';

export function ErrorPanel({ error, onDismiss }: { error: ErrorInfo; onDismiss?: () => void }) {
  const { title, next } = describeError(error);
  return (
    <section className="panel error-panel" role="alert" data-testid="error-panel" data-code={error.code}>
      <h2>
        {title} <code data-testid="error-code">{error.code}</code>
      </h2>
      <p data-testid="error-message">{error.message}</p>
      {(error.path !== undefined || error.version !== undefined) && (
        <p className="muted small">
          {error.path !== undefined && (
            <>
              File: <code>{error.path}</code>{' '}
            </>
          )}
          {error.version !== undefined && <>Version: {error.version}</>}
        </p>
      )}
      <p className="hint" data-testid="error-hint">
        {next}
      </p>
      {onDismiss && (
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </section>
  );
}
