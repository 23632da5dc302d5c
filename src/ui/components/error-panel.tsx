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

/**
 * An error inside a card of a view (Compare, its row diff): title and code, the message, the next
 * step. `testId` names it for tests (`data-code` carries the code).
 */
export function InlineError({ error, testId }: { error: ErrorInfo; testId: string }) {
  const { title, next } = describeError(error);
  return (
    <div className="cc-error" role="alert" data-testid={testId} data-code={error.code}>
      <p>
        <strong>{title}</strong> <code>{error.code}</code>
      </p>
      <p className="cc-error-message">{error.message}</p>
      <p className="hint small">{next}</p>
    </div>
  );
}
