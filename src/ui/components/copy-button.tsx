/** A small button that copies a text (a path, JSON, an id) with `navigator.clipboard`, and says so. */
import { useEffect, useRef, useState } from 'react';

export function CopyButton({ text, label = 'Copy', testId }: { text: string; label?: string; testId?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 1500);
  };
  return (
    <button
      type="button"
      className="copy-button"
      onClick={() => void copy()}
      title={state === 'failed' ? 'The browser refused the clipboard; select the text instead.' : `${label} to the clipboard`}
      aria-label={state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? 'Copy failed: the browser refused the clipboard' : `${label} to the clipboard`}
      data-testid={testId ?? 'copy'}
      data-state={state}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
