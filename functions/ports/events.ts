/** Domain events for the district's own integrations (EventBridge default bus in AWS). Never carry PII. */
export interface DomainEvent {
  detailType: string;
  detail: Record<string, unknown>;
}

export interface Events {
  publish(events: DomainEvent[]): Promise<void>;
}
