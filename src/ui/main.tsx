/** Entry point of the browser app: starts the worker and renders the shell. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import './styles.css';
import { createExplorerClient } from './worker-client.ts';

const client = createExplorerClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
