/**
 * The Redis registry's Lua scripts are read at run time next to the compiled module
 * (src/server/rooms/lua → dist/server/rooms/lua); tsc copies only what it compiles. Run by `npm run build`.
 */
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../src/server/rooms/lua', import.meta.url));
const to = fileURLToPath(new URL('../dist/server/rooms/lua', import.meta.url));
cpSync(from, to, { recursive: true });
