/** Entry point of the browser app: starts the worker and renders the shell. */
import { startTransition, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import './styles.css';
import { createExplorerClient } from './worker-client.ts';

const client = createExplorerClient();

// A transition: React renders the first view in slices that yield to the browser (no long task).
startTransition(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App client={client} />
    </StrictMode>,
  ),
);
