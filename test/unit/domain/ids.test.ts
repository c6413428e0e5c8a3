import { describe, expect, it } from 'vitest';
import { idFromKey } from '#domain/ids';

describe('ids derived from a key', () => {
  it('are the same for the same key, and RFC 9562 version-8 UUIDs', () => {
    // Act
    const first = idFromKey('credential', '["learner-1","achievement-1","api"]');
    const again = idFromKey('credential', '["learner-1","achievement-1","api"]');

    // Assess
    expect(again).toBe(first);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differ for another key or another namespace', () => {
    // Act
    const ids = new Set([
      idFromKey('credential', 'a'),
      idFromKey('credential', 'b'),
      idFromKey('other', 'a'),
      ...Array.from({ length: 1_000 }, (_, i) => idFromKey('credential', `key-${i}`)),
    ]);

    // Assess
    expect(ids.size).toBe(1_003);
  });
});
