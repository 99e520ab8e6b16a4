import { describe, expect, it } from 'vitest';
import { completedBurst, crossedStep, decideEscalation } from '../../../src/engine/moderation/escalation.js';
import type { ModerationConfig } from '../../../src/engine/moderation/config.js';

const ladder: ModerationConfig['ladder'] = [
  { points: 3, action: 'timeout', duration: '10m' },
  { points: 5, action: 'timeout', duration: '1d' },
  { points: 7, action: 'kick' },
  { points: 10, action: 'ban' },
];
const bursts: ModerationConfig['bursts'] = [{ infractions: 3, within: '10m', action: 'timeout', duration: '1h' }];

describe('escalation ladder', () => {
  it('crosses the step whose threshold lies between the points before and after', () => {
    expect(crossedStep(ladder, 2, 3)).toMatchObject({ points: 3, duration: '10m' });
    expect(crossedStep(ladder, 3, 4)).toBeUndefined();
    expect(crossedStep(ladder, 0, 2)).toBeUndefined();
  });

  it('applies only the harshest step when one case crosses several', () => {
    expect(crossedStep(ladder, 2, 8)).toMatchObject({ points: 7, action: 'kick' });
  });

  it('fires a burst when the count reaches its threshold, not again after', () => {
    expect(completedBurst(bursts, [2])).toBeUndefined();
    expect(completedBurst(bursts, [3])).toMatchObject({ infractions: 3 });
    expect(completedBurst(bursts, [4])).toBeUndefined();
  });

  it('prefers the harsher of a ladder step and a burst', () => {
    expect(decideEscalation({ ladder, bursts }, { before: 2, after: 3 }, [3])).toMatchObject({ sanction: { action: 'timeout', duration: '1h' }, trigger: { kind: 'burst' } });
    expect(decideEscalation({ ladder, bursts }, { before: 6, after: 7 }, [3])).toMatchObject({ sanction: { action: 'kick' }, trigger: { kind: 'points', threshold: 7 } });
    expect(decideEscalation({ ladder, bursts }, { before: 0, after: 1 }, [1])).toBeUndefined();
  });
});
