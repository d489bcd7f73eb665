import { render } from 'preact';
import { config } from 'zod/mini';
import { App } from './app.js';

// zod compiles parsers with `new Function` when it may; our Content-Security-Policy forbids eval, so say so
// up front instead of letting zod probe (a console error, and time on the first parse).
config({ jitless: true });

const root = document.getElementById('app');
if (root) render(<App />, root);
