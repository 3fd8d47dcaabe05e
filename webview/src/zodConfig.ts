import * as z from 'zod';

// zod 4 probes `new Function` to JIT object parsers, decided when each schema is created.
// Under the webview CSP (no 'unsafe-eval') that probe is a CSP violation, so turn JIT off before any
// schema module is evaluated: main.ts imports this module first.
z.config({ jitless: true });
