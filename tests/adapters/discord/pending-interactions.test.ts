import { describe, expect, it } from 'vitest';
import { PendingInteractions } from '../../../src/adapters/discord/api/pending-interactions.js';

const interaction = (id: string) => ({ id, token: `token-${id}`, applicationId: 'app', kind: 'command' as const, acknowledged: Promise.resolve() });

describe('Discord adapter: which waiting interaction a private reply answers', () => {
  it('answers the interaction the reply was caused by, even when the member has run another one since', () => {
    const pending = new PendingInteractions();
    pending.register('guild', 'ayu', interaction('1'));
    pending.register('guild', 'ayu', interaction('2'));
    expect(pending.find('guild', 'ayu', '1')?.id).toBe('1');
    expect(pending.find('guild', 'ayu', '2')?.id).toBe('2');
  });

  it("answers the member's latest interaction when the cause is not one (a job, a message)", () => {
    const pending = new PendingInteractions();
    pending.register('guild', 'ayu', interaction('1'));
    pending.register('guild', 'ayu', interaction('2'));
    expect(pending.find('guild', 'ayu', 'job:digest')?.id).toBe('2');
  });

  it("never answers another member's interaction, nor one in another community, with a reply meant for this member", () => {
    const pending = new PendingInteractions();
    pending.register('guild', 'budi', interaction('1'));
    pending.register('other-guild', 'ayu', interaction('2'));
    expect(pending.find('guild', 'ayu', '1')).toBeUndefined();
    expect(pending.find('guild', 'ayu', '2')).toBeUndefined();
  });

  it('forgets interactions after ten minutes, whether named by cause or the latest', () => {
    let now = 0;
    const pending = new PendingInteractions(() => now);
    pending.register('guild', 'ayu', interaction('1'));
    now = 10 * 60_000;
    expect(pending.find('guild', 'ayu', '1')).toBeUndefined();
    expect(pending.find('guild', 'ayu')).toBeUndefined();
    pending.register('guild', 'budi', interaction('3'));
    expect(pending.size).toBe(1);
  });
});
