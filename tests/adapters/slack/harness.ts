import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions, type SlackAuth } from '../../../src/adapters/slack/index.js';
import { loadConfig, type ConfigStore } from '../../../src/config/index.js';
import type { CommunityEvent } from '../../../src/contracts/index.js';
import { silentLogger } from '../../../src/core/logger.js';
import { packageRoot } from '../../../src/core/paths.js';
import type { EventOutcome } from '../../../src/engine/pipeline.js';
import { SlackRequestClient } from '../../support/fake-slack/client.js';
import { FakeSlack } from '../../support/fake-slack/server.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const TEAM = { id: 'T0KOPI', name: 'Kopi', botToken: 'xoxb-kopi-bot', botUserId: 'U0BOT', botId: 'B0BOT' };
export const CHANNELS = { general: 'C0GENERAL', modLog: 'C0MODLOG', rules: 'C0RULES', intros: 'C0INTROS', random: 'C0RANDOM', outside: 'C0OUTSIDE' };
export const USERS = { ayu: 'U0AYU', budi: 'U0BUDI', mod: 'U0MOD', admin: 'U0ADMIN' };
export const GROUPS = { moderators: 'S0MODS', champions: 'S0CHAMPS' };

/** The configuration the engine and the adapter share: the defaults plus `files`, in a temporary folder. */
function configFrom(files: Record<string, string>): { config: ConfigStore; dispose(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'guyub-slack-config-'));
  copyFileSync(path.join(packageRoot, 'config/default.yaml'), path.join(dir, 'default.yaml'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  const config = loadConfig({ dir });
  return { config, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A workspace "Kopi" on the fake: members, channels (the bot in all but #outside) and a @moderators group. */
export function seedWorkspace(fake: FakeSlack): void {
  fake.addTeam(TEAM);
  const all = [USERS.ayu, USERS.budi, USERS.mod, USERS.admin, TEAM.botUserId];
  fake.addChannel({ id: CHANNELS.general, name: 'general', team: TEAM.id, members: all, is_general: true });
  fake.addChannel({ id: CHANNELS.modLog, name: 'mod-log', team: TEAM.id, members: [USERS.mod, TEAM.botUserId] });
  fake.addChannel({ id: CHANNELS.rules, name: 'rules', team: TEAM.id, members: all });
  fake.addChannel({ id: CHANNELS.intros, name: 'introductions', team: TEAM.id, members: all });
  fake.addChannel({ id: CHANNELS.random, name: 'random', team: TEAM.id, members: all });
  fake.addChannel({ id: CHANNELS.outside, name: 'outside', team: TEAM.id, members: [USERS.ayu, USERS.budi] });
  fake.addUser({ id: USERS.ayu, team_id: TEAM.id, name: 'ayu', real_name: 'Ayu Lestari', profile: { display_name: 'Ayu' } });
  fake.addUser({ id: USERS.budi, team_id: TEAM.id, name: 'budi', real_name: 'Budi Santoso', profile: { display_name: '' } });
  fake.addUser({ id: USERS.mod, team_id: TEAM.id, name: 'mira', real_name: 'Mira', profile: { display_name: 'Mira (mod)' } });
  fake.addUser({ id: USERS.admin, team_id: TEAM.id, name: 'owner', real_name: 'Owner', is_admin: true, is_owner: true, profile: { display_name: 'Owner' } });
  fake.addUserGroup({ id: GROUPS.moderators, team: TEAM.id, handle: 'moderators', users: [USERS.mod] });
  fake.addUserGroup({ id: GROUPS.champions, team: TEAM.id, handle: 'champion', users: [] });
}

export interface SlackHarness {
  fake: FakeSlack;
  test: TestEngine;
  adapter: SlackAdapter;
  config: ConfigStore;
  /** Signed requests to the adapter's POST /slack/events. */
  slack: SlackRequestClient;
  baseUrl: string;
  /** Every event the adapter handed to the sink, in the order the sink received them. */
  received: CommunityEvent[];
  /** Every event the adapter handed to the sink, and the engine's outcome. */
  handled: { event: CommunityEvent; outcome: EventOutcome }[];
  waitForEvent(match: (event: CommunityEvent) => boolean, timeoutMs?: number): Promise<{ event: CommunityEvent; outcome: EventOutcome }>;
  /** Resolves once every event handed over so far is handled and its actions carried out. */
  settled(): Promise<void>;
  dispose(): Promise<void>;
}

export interface HarnessOptions {
  configFiles?: Record<string, string>;
  auth?: SlackAuth;
  seed?: (fake: FakeSlack) => void;
  adapter?: Pick<SlackAdapterOptions, 'rememberedInvokers' | 'responseUrlTimeoutMs'>;
}

/**
 * The real Bolt App (through the adapter) against the fake Slack, and a real engine on a
 * scratch PostgreSQL database: sink = engine.handle, then adapter.execute(outcome.actions).
 */
export async function startHarness(options: HarnessOptions = {}): Promise<SlackHarness> {
  const fake = await new FakeSlack().start();
  (options.seed ?? seedWorkspace)(fake);
  const files = options.configFiles ?? {};
  const test = await createTestEngine('postgres', { configFiles: files });
  const { config, dispose: disposeConfig } = configFrom(files);
  const adapter = createSlackAdapter({
    auth: options.auth ?? { mode: 'token', botToken: TEAM.botToken },
    receiver: { kind: 'http', signingSecret: SIGNING_SECRET },
    apiUrl: fake.apiUrl,
    port: 0,
    host: '127.0.0.1',
    // Fast retries in tests; the production default is about half a minute.
    retryConfig: { retries: 2, minTimeout: 20, maxTimeout: 50 },
    prisma: test.database.prisma,
    config,
    logger: silentLogger,
    ...options.adapter,
  });
  const received: CommunityEvent[] = [];
  const handled: SlackHarness['handled'] = [];
  const pending = new Set<Promise<void>>();
  await adapter.start(async (event) => {
    received.push(event);
    const work = (async () => {
      const outcome = await test.engine.handle(event);
      handled.push({ event, outcome });
      await adapter.execute(outcome.actions);
    })();
    pending.add(work);
    try {
      await work;
    } finally {
      pending.delete(work);
    }
  });
  const baseUrl = `http://127.0.0.1:${adapter.address!.port}`;
  return {
    fake,
    test,
    adapter,
    config,
    slack: new SlackRequestClient(`${baseUrl}/slack/events`, SIGNING_SECRET),
    baseUrl,
    received,
    handled,
    async waitForEvent(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = handled.find((h) => match(h.event));
        if (found) {
          await Promise.allSettled([...pending]);
          return found;
        }
        if (Date.now() > deadline) throw new Error(`no matching event was handled; handled: ${handled.map((h) => `${h.event.type} ${h.event.id}`).join(', ') || 'none'}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async settled() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async dispose() {
      await adapter.stop();
      await fake.close();
      await test.dispose();
      disposeConfig();
    },
  };
}

/** The mrkdwn text of every section of a recorded chat call. */
export function blockText(args: Record<string, unknown>): string {
  const blocks = (args.blocks ?? []) as { text?: { text?: string }; fields?: { text: string }[]; elements?: { text?: string | { text?: string } }[] }[];
  return blocks
    .flatMap((b) => [b.text?.text, ...(b.fields ?? []).map((f) => f.text), ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : e.text?.text))])
    .filter(Boolean)
    .join('\n');
}
