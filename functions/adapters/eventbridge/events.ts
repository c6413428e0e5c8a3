import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Events } from '#ports/events';

/** PutEvents accepts at most 10 entries per call. */
const batchSize = 10;

/** Publishes to the account's default bus, source `merit`, for the district's own integrations. */
export const eventBridgeEvents = (client: EventBridgeClient, busName = 'default'): Events => ({
  async publish(events) {
    for (let start = 0; start < events.length; start += batchSize) {
      const answer = await client.send(
        new PutEventsCommand({
          Entries: events.slice(start, start + batchSize).map((event) => ({
            EventBusName: busName,
            Source: 'merit',
            DetailType: event.detailType,
            Detail: JSON.stringify(event.detail),
          })),
        }),
      );
      if (answer.FailedEntryCount) throw new Error(`EventBridge refused ${answer.FailedEntryCount} event(s).`);
    }
  },
});
