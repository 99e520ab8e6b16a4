import { describe, expect, it } from 'vitest';
import { ArrivalOrder } from '../../../src/adapters/discord/gateway/arrival-order.js';
import type { CommunityEvent } from '../../../src/contracts/index.js';

const event = (id: string) => ({ id }) as CommunityEvent;

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("Discord adapter: each user's events reach the sink in the order they arrived", () => {
  it("hands an event over at once when nothing of its user's is waiting", () => {
    const order = new ArrivalOrder();
    const handed: string[] = [];
    void order.hand('ayu', event('1'), async (e) => void handed.push(e.id));
    expect(handed).toEqual(['1']);
    expect(order.holding).toBe(0);
  });

  it("holds a user's later events behind one still being looked up, and lets other users' through", async () => {
    const order = new ArrivalOrder();
    const handed: string[] = [];
    const hand = async (e: CommunityEvent) => void handed.push(e.id);
    const lookup = deferred<CommunityEvent | undefined>();
    const first = order.hand('ayu', lookup.promise, hand);
    const second = order.hand('ayu', event('ayu-2'), hand);
    void order.hand('budi', event('budi-1'), hand);
    expect(handed).toEqual(['budi-1']);
    lookup.resolve(event('ayu-1'));
    await Promise.all([first, second]);
    expect(handed).toEqual(['budi-1', 'ayu-1', 'ayu-2']);
    expect(order.holding).toBe(0);
  });

  it('lets the next events go when a lookup finds nothing or the sink throws at once', async () => {
    const order = new ArrivalOrder();
    const handed: string[] = [];
    const nothing = order.hand('ayu', Promise.resolve(undefined), async (e) => void handed.push(e.id));
    const throwing = order.hand('ayu', Promise.resolve(event('bad')), () => {
      throw new Error('sink broke');
    });
    const after = order.hand('ayu', event('ayu-3'), async (e) => void handed.push(e.id));
    await expect(nothing).resolves.toBeUndefined();
    await expect(throwing).rejects.toThrow('sink broke');
    await after;
    expect(handed).toEqual(['ayu-3']);
  });
});
