/**
 * Entry: pick the client (which reads and strips a `#token=` fragment first), ask at once for what the first
 * page shows, then load and render the console. The first page's answers travel while React, Fluent UI and the
 * pages load and evaluate (first-loads.ts), instead of after the first render.
 */
import { createClient } from '../client';
import { primeFirstPage } from './first-loads';

const client = createClient();
primeFirstPage(client, window.location.hash);
const starting = import('./start');
// The first Intl formatter of a page costs some 50 ms to build, whatever its locale (ICU's data is set up once);
// built here it costs nothing, while start.tsx and its libraries download, instead of delaying the first render.
new Intl.NumberFormat().format(0);
const { start } = await starting;
start(client);
