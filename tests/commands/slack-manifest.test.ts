import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMAND_DEFINITIONS, commandFromSlackText, usageHint } from '../../src/commands/index.js';
import { SLACK_RESERVED_COMMANDS, slackManifest } from '../../src/commands/slack.js';
import { packageRoot } from '../../src/core/paths.js';

const schema = JSON.parse(readFileSync(path.join(packageRoot, 'tests/fixtures/slack/manifest.schema.json'), 'utf8')) as object;
// The schema is draft-07 and uses Slack's own `regex` keyword and the `uri` format, which Ajv does not know: not strict.
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);

const errorsOf = (manifest: unknown) => (validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

describe('the Slack app manifest', () => {
  const manifest = slackManifest({ url: 'https://bot.example.com/' });

  it("is valid against Slack's published manifest schema, with request URLs and in Socket Mode", () => {
    expect(errorsOf(manifest)).toEqual([]);
    expect(errorsOf(slackManifest({ socketMode: true }))).toEqual([]);
    expect(errorsOf(slackManifest({ socketMode: true, url: 'https://bot.example.com' }))).toEqual([]);
  });

  it('is checked by the schema (a manifest breaking it is refused)', () => {
    const broken = { ...manifest, features: { ...manifest.features, slash_commands: [{ command: 'no-slash', description: '' }] } };
    expect(errorsOf(broken).length).toBeGreaterThan(0);
  });

  it('lists every top-level command once, under its Slack name, and none of Slack\'s built-in names', () => {
    const listed = manifest.features!.slash_commands!.map((c) => c.command);
    expect(listed).toEqual(COMMAND_DEFINITIONS.map((d) => `/${d.slackName ?? d.name}`));
    for (const command of listed) {
      expect(SLACK_RESERVED_COMMANDS).not.toContain(command.slice(1));
      expect(commandFromSlackText(command, '')).not.toHaveProperty('error');
    }
    expect(listed).toContain('/guyub-feedback');
    expect(listed).toContain('/mod-kick');
  });

  it('sends commands, events and interactions to <url>/slack/events and OAuth back to <url>/slack/oauth_redirect', () => {
    for (const command of manifest.features!.slash_commands!) expect(command.url).toBe('https://bot.example.com/slack/events');
    expect(manifest.settings!.event_subscriptions!.request_url).toBe('https://bot.example.com/slack/events');
    expect(manifest.settings!.interactivity).toEqual({ is_enabled: true, request_url: 'https://bot.example.com/slack/events' });
    expect(manifest.oauth_config!.redirect_urls).toEqual(['https://bot.example.com/slack/oauth_redirect']);
    expect(manifest.settings).toMatchObject({ socket_mode_enabled: false, org_deploy_enabled: false, token_rotation_enabled: false });
  });

  it('has no request URLs in Socket Mode', () => {
    const socket = slackManifest({ socketMode: true });
    expect(socket.settings!.socket_mode_enabled).toBe(true);
    expect(socket.settings!.event_subscriptions).not.toHaveProperty('request_url');
    expect(socket.features!.slash_commands!.every((c) => c.url === undefined)).toBe(true);
  });

  it('asks for the scopes and events the adapter uses', () => {
    expect(manifest.oauth_config!.scopes!.bot).toEqual(expect.arrayContaining(['chat:write', 'commands', 'channels:history', 'groups:history', 'im:history', 'mpim:history', 'im:write', 'channels:read', 'groups:read', 'users:read', 'team:read', 'reactions:read', 'usergroups:read', 'usergroups:write', 'channels:manage', 'groups:write', 'files:write']));
    expect(manifest.settings!.event_subscriptions!.bot_events).toEqual(expect.arrayContaining(['team_join', 'member_joined_channel', 'message.channels', 'message.groups', 'message.im', 'reaction_added']));
  });

  it('gives usage hints built from the options and subcommands (the same the shell\'s /commands shows)', () => {
    const hint = (name: string) => usageHint(COMMAND_DEFINITIONS.find((d) => d.name === name)!);
    expect(hint('timeout')).toBe('<member> <duration> [reason]');
    expect(hint('leaderboard')).toBe('[week|month|all]');
    expect(hint('poll')).toBe('<question> choices:<choices> [multi:yes|no] [anonymous:yes|no] [duration:<duration>] [closes:<closes>] [results:live|close] | close <poll> | results <poll>');
    expect(hint('unlink')).toBeUndefined();
  });

  it('is what config/slack-manifest.yaml holds (generated for https://bot.example.com)', () => {
    const committed = parse(readFileSync(path.join(packageRoot, 'config/slack-manifest.yaml'), 'utf8')) as unknown;
    expect(committed).toEqual(slackManifest({ url: 'https://bot.example.com' }));
  });
});
