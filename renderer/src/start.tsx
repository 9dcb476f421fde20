/** Render the console (loaded by main.tsx once it has asked for the first page's data). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { CertGateClient } from '../../preload/contract/operations';
import { App } from './app';

/** Render the console into `#root`, talking to CertGate through `client`. */
export function start(client: CertGateClient): void {
  const container = document.getElementById('root');
  if (!container) throw new Error('renderer/index.html has no #root element.');
  createRoot(container).render(
    <StrictMode>
      <App client={client} />
    </StrictMode>,
  );
}
