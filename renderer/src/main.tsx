/**
 * Entry: pick the client (which reads and strips a `#token=` fragment first), ask at once for what the first
 * page shows, then load and render the console. The first page's answers travel while React, Fluent UI and the
 * pages load and evaluate (first-loads.ts), instead of after the first render.
 */
import { createClient } from '../client';
import { primeFirstPage } from './first-loads';

const client = createClient();
primeFirstPage(client, window.location.hash);
const { start } = await import('./start');
start(client);
