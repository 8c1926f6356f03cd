import { createRequire } from 'node:module';
import type * as Http from 'node:http';
import type * as Https from 'node:https';

// Required, not imported: importing node:http as an ES module builds its ES module
// facade, which reads every export, and the lazy `http.WebSocket` among them loads
// undici: about 60 ms of a process's start, for a CommonJS app that never needs it.
const requireBuiltin = createRequire(import.meta.url);

/** `node:http`. */
export const http = requireBuiltin('node:http') as typeof Http;
/** `node:https`. */
export const https = requireBuiltin('node:https') as typeof Https;
