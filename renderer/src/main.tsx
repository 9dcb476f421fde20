/** Entry: pick the client (which reads and strips a `#token=` fragment first), then render the console. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from '../client';
import { App } from './app';

const client = createClient();
const container = document.getElementById('root');
if (!container) throw new Error('renderer/index.html has no #root element.');
createRoot(container).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
