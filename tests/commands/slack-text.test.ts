import { describe, expect, it } from 'vitest';
import { commandFromSlackText, engineInvocation } from '../../src/commands/index.js';

describe('commandFromSlackText', () => {
  it('takes a leading subcommand word and keeps the rest as text: /poll close 3', () => {
    expect(commandFromSlackText('/poll', 'close 3')).toEqual({ command: 'poll close', options: { text: '3' } });
    expect(commandFromSlackText('poll', 'results #4')).toEqual({ command: 'poll results', options: { text: '#4' } });
    expect(commandFromSlackText('/automod', 'test buy cheap stuff')).toEqual({ command: 'automod test', options: { text: 'buy cheap stuff' } });
  });

  it('leaves a command without subcommand words as the command with its text', () => {
    expect(commandFromSlackText('/warn', '<@U123> spamming links')).toEqual({ command: 'warn', options: { text: '<@U123> spamming links' } });
    expect(commandFromSlackText('/unlink', '')).toEqual({ command: 'unlink', options: {} });
    expect(commandFromSlackText('/rank', '   ')).toEqual({ command: 'rank', options: {} });
  });

  it('reads key:value options (quoted values keep their spaces, curly quotes too) and coerces them to the option kind', () => {
    expect(commandFromSlackText('/poll', 'Lunch where? choices:"pizza; sushi; soto" multi:yes anonymous:false duration:2h')).toEqual({
      command: 'poll',
      options: { choices: 'pizza; sushi; soto', multi: true, anonymous: false, duration: '2h', text: 'Lunch where?' },
    });
    expect(commandFromSlackText('/timeout', 'member:<@U9> duration:10m reason:\u201ctoo many links\u201d')).toEqual({
      command: 'timeout',
      options: { member: '<@U9>', duration: '10m', reason: 'too many links' },
    });
    expect(commandFromSlackText('/pardon', 'case:#12 mistake')).toEqual({ command: 'pardon', options: { case: 12, text: 'mistake' } });
  });

  it('refuses an option value its schema rejects, naming the option', () => {
    const result = commandFromSlackText('/timeout', '<@U9> duration:forever');
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toMatch(/^\/timeout: option duration: a duration such as 30m/);
    expect(commandFromSlackText('/poll', 'close poll:abc')).toEqual({ error: expect.stringMatching(/^\/poll close: option poll: /) });
    expect(commandFromSlackText('/leaderboard', 'period:year')).toEqual({ error: expect.stringMatching(/one of week, month, all/) });
  });

  it('keeps words that only look like options (unknown keys, links) in the text', () => {
    expect(commandFromSlackText('/guyub-feedback', 'bug see https://example.com/x note:later')).toEqual({
      command: 'feedback',
      options: { text: 'bug see https://example.com/x note:later' },
    });
  });

  it('maps the aliases of commands whose names Slack keeps for itself', () => {
    expect(commandFromSlackText('/guyub-feedback', 'status FB-3 done shipped')).toEqual({ command: 'feedback status', options: { text: 'FB-3 done shipped' } });
    expect(commandFromSlackText('/mod-kick', '<@U1> rude')).toEqual({ command: 'kick', options: { text: '<@U1> rude' } });
  });

  it('sends subcommands the engine takes only as text, and plain subcommands, the way the engine takes them', () => {
    expect(commandFromSlackText('/guyub-feedback', 'show FB-3')).toEqual({ command: 'feedback', options: { text: 'show FB-3' } });
    expect(commandFromSlackText('/poll', 'create Lunch? choices:"a;b"')).toEqual({ command: 'poll', options: { choices: 'a;b', text: 'Lunch?' } });
  });

  it('reduces Slack\'s escaped mentions <@U123|ayu> and <#C123|general> to the ids the engine reads', () => {
    expect(commandFromSlackText('/warn', '<@U123|ayu> spam in <#C9|general>')).toEqual({ command: 'warn', options: { text: '<@U123> spam in <#C9>' } });
    expect(commandFromSlackText('/assign', 'member:<@U7|budi>')).toEqual({ command: 'assign', options: { member: '<@U7>' } });
  });

  it('answers an unknown slash name with an error', () => {
    expect(commandFromSlackText('/frobnicate', 'x')).toEqual({ error: '/frobnicate is not a guyub command' });
  });
});

describe('engineInvocation (Discord interactions normalized as "command subcommand" with options by name)', () => {
  it('turns a plain subcommand back into its command, and a text-only subcommand into its parent with text', () => {
    expect(engineInvocation('poll create', { question: 'Lunch?', choices: 'a;b' })).toEqual({ command: 'poll', options: { question: 'Lunch?', choices: 'a;b' } });
    expect(engineInvocation('feedback send', { category: 'bug', text: 'broken' })).toEqual({ command: 'feedback', options: { category: 'bug', text: 'broken' } });
    expect(engineInvocation('feedback show', { ref: 'FB-3' })).toEqual({ command: 'feedback', options: { text: 'show FB-3' } });
  });

  it('passes every other command through unchanged', () => {
    expect(engineInvocation('poll close', { poll: 3 })).toEqual({ command: 'poll close', options: { poll: 3 } });
    expect(engineInvocation('warn', { member: '1', reason: 'x' })).toEqual({ command: 'warn', options: { member: '1', reason: 'x' } });
    expect(engineInvocation('nothing here', {})).toEqual({ command: 'nothing here', options: {} });
  });
});
