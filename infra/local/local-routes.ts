import type { LocalSystem } from './composition.ts';
import { json, type LocalRoute } from './server.ts';

/** The `_local` routes that drive the stand-ins; they never exist in AWS. */
export const localRoutes = (system: LocalSystem): Record<string, LocalRoute> => ({
  'POST /_local/settle': async () => {
    await system.settle();
    return json(200, { settled: true, deadLetters: system.deadLetters.length });
  },
  'GET /_local/outbox': async ({ query }) =>
    json(200, {
      items: system.outbox.list({
        channel: query.get('channel') ?? undefined,
        to: query.get('to') ?? undefined,
      }),
    }),
});
