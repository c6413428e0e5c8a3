import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Events } from '#ports/events';

/** The local stand-in for EventBridge: one JSON line per event, in a file beside the outbox. */
export const fileEvents = (file: string): Events => {
  mkdirSync(dirname(file), { recursive: true });
  return {
    async publish(events) {
      for (const event of events) appendFileSync(file, `${JSON.stringify({ source: 'merit', ...event, at: new Date().toISOString() })}\n`);
    },
  };
};
