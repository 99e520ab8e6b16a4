import { describe, expect, it } from 'vitest';
import { messageLink } from '../../../src/engine/digest/stats.js';

describe('links to a message in the digest', () => {
  it('points Discord at guild, channel and message', () => {
    expect(messageLink('discord', 'g1', 'c2', 'm3')).toBe('https://discord.com/channels/g1/c2/m3');
  });

  it('gives Slack the ts of a channel-qualified message id, and accepts a bare ts', () => {
    expect(messageLink('slack', 'T1', 'C2', 'C2:1700000000.000100')).toBe('https://slack.com/app_redirect?team=T1&channel=C2&message_ts=1700000000.000100');
    expect(messageLink('slack', 'T1', 'C2', '1700000000.000100')).toBe('https://slack.com/app_redirect?team=T1&channel=C2&message_ts=1700000000.000100');
  });
});
