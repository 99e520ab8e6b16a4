import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Action, CommunityEvent, MemberRef } from '../../contracts/index.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Engine, EventOutcome } from '../../engine/pipeline.js';
import type { Locale } from '../../config/index.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { translate } from '../../i18n/index.js';
import type { ActionExecutor } from '../adapter.js';
import { findDefinition, invocationFromText } from '../../commands/index.js';
import { commandListing } from './command-list.js';
import { parseShellLine, shellMemberId } from './parse-line.js';
import { renderAction, type Names } from './render.js';

export const SHELL_COMMUNITY = 'shell';
/** How the shell's community is named in messages unless config sets `name`. */
const SHELL_COMMUNITY_NAME = 'the guyub shell';

export interface ShellOptions {
  engine: Engine;
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  locale: Locale;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Show a prompt (an interactive terminal); off when input is piped. */
  interactive: boolean;
}

/**
 * The shell adapter: a person chats with the engine in a terminal, on the embedded database.
 * Members persist between runs, so `/as Ayu` works after a restart.
 */
export class ShellSession implements ActionExecutor {
  readonly platform = 'shell' as const;
  #speaker: MemberRef | undefined;
  #channel = 'general';
  readonly #memberNames = new Map<string, string>();

  constructor(private readonly options: ShellOptions) {}

  readonly names: Names = {
    member: (id) => this.#memberNames.get(id),
    channel: (id) => id,
  };

  async execute(actions: readonly Action[]): Promise<void> {
    for (const action of actions) this.#print(renderAction(action, this.names));
  }

  /** Reads lines until the input ends or /quit; each line is handled before the next. */
  async run(): Promise<void> {
    const { input, output, interactive } = this.options;
    await this.#loadMembers();
    this.#print(this.#t('shell.banner', { community: SHELL_COMMUNITY }));
    const lines = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
    if (interactive) {
      lines.setPrompt(this.#prompt());
      lines.prompt();
    }
    for await (const line of lines) {
      const keepGoing = await this.#handleLine(line);
      if (!keepGoing) break;
      if (interactive) {
        lines.setPrompt(this.#prompt());
        lines.prompt();
      }
    }
    lines.close();
    await this.options.engine.idle();
  }

  #prompt(): string {
    return `${this.#speaker?.name ?? '(nobody)'} #${this.#channel}> `;
  }

  #print(text: string): void {
    this.options.output.write(`${text}\n`);
  }

  #t(key: string, variables: Record<string, string> = {}): string {
    return translate(this.options.locale, key, variables);
  }

  async #loadMembers(): Promise<void> {
    const members = await this.options.prisma.member.findMany({
      where: { community: { platform: 'shell', externalId: SHELL_COMMUNITY } },
      select: { externalId: true, name: true },
    });
    for (const member of members) this.#memberNames.set(member.externalId, member.name);
  }

  async #activeMember(name: string) {
    return this.options.prisma.member.findFirst({
      where: { community: { platform: 'shell', externalId: SHELL_COMMUNITY }, externalId: shellMemberId(name), leftAt: null },
    });
  }

  #event(body: Record<string, unknown>): Record<string, unknown> {
    return {
      id: `shell-${randomUUID()}`,
      platform: 'shell',
      community: SHELL_COMMUNITY,
      communityName: SHELL_COMMUNITY_NAME,
      at: this.options.clock.now().toISOString(),
      ...body,
    };
  }

  async #send(event: Record<string, unknown>): Promise<void> {
    const outcome: EventOutcome = await this.options.engine.handle(event);
    if (outcome.status === 'invalid') this.#print(`(the engine refused this event: ${outcome.problems.join('; ')})`);
    if (outcome.status === 'failed') this.#print(`(the engine failed on this event: ${String((outcome.error as Error)?.message ?? outcome.error)})`);
    await this.execute(outcome.actions);
  }

  async #handleLine(line: string): Promise<boolean> {
    const parsed = parseShellLine(line);
    if (parsed.kind === 'empty') return true;
    if (parsed.kind === 'message') {
      if (!this.#speaker) {
        this.#print(this.#t('shell.noSpeaker'));
        return true;
      }
      await this.#send(this.#event({ type: 'message.created', channel: this.#channel, author: this.#speaker, text: parsed.text }));
      return true;
    }
    const name = parsed.args.join(' ');
    switch (parsed.name) {
      case 'quit':
      case 'exit':
        return false;
      case 'help':
        this.#print(this.#t('shell.help'));
        return true;
      case 'join': {
        if (!name) {
          this.#print(this.#t('shell.joinNeedsName'));
          return true;
        }
        if (await this.#activeMember(name)) {
          this.#print(this.#t('shell.alreadyMember', { name }));
          return true;
        }
        const roles = typeof parsed.options.roles === 'string' ? parsed.options.roles.split(',').filter(Boolean) : [];
        const member: MemberRef = { id: shellMemberId(name), name, roles };
        this.#memberNames.set(member.id, name);
        this.#speaker = member;
        await this.#send(this.#event({ type: 'member.joined', member }));
        return true;
      }
      case 'leave': {
        const who = name ? await this.#activeMember(name) : this.#speaker && (await this.#activeMember(this.#speaker.name));
        if (!who) {
          this.#print(name ? this.#t('shell.unknownMember', { name }) : this.#t('shell.noSpeaker'));
          return true;
        }
        await this.#send(this.#event({ type: 'member.left', member: { id: who.externalId, name: who.name } }));
        if (this.#speaker?.id === who.externalId) this.#speaker = undefined;
        this.#print(this.#t('shell.left', { name: who.name }));
        return true;
      }
      case 'as': {
        const member = name ? await this.#activeMember(name) : null;
        if (!member) {
          this.#print(this.#t('shell.unknownMember', { name }));
          return true;
        }
        this.#speaker = { id: member.externalId, name: member.name, roles: member.roles };
        this.#print(this.#t('shell.speaking', { name: member.name }));
        return true;
      }
      case 'channel':
        this.#channel = (parsed.args[0] ?? 'general').replace(/^#/, '');
        this.#print(this.#t('shell.channel', { channel: this.#channel }));
        return true;
      case 'press': {
        // A click on a button the bot showed: its id is printed in ‹…› after the label.
        // Taken from the raw line: an id like poll:1:2:ab would otherwise parse as a key:value option.
        const componentId = line.trim().slice(1).replace(/^press\s*/i, '').trim().replace(/^‹|›$/g, '');
        if (!componentId) {
          this.#print(this.#t('shell.pressNeedsId'));
          return true;
        }
        if (!this.#speaker) {
          this.#print(this.#t('shell.noSpeaker'));
          return true;
        }
        await this.#send(this.#event({ type: 'component.used', channel: this.#channel, member: this.#speaker, componentId }));
        return true;
      }
      case 'commands':
        this.#print(commandListing(this.options.locale));
        return true;
      case 'members': {
        const members = await this.options.prisma.member.findMany({
          where: { community: { platform: 'shell', externalId: SHELL_COMMUNITY }, leftAt: null },
          orderBy: { id: 'asc' },
          select: { name: true, roles: true },
        });
        const list = members.map((m) => (m.roles.length ? `${m.name} (${m.roles.join(', ')})` : m.name)).join(', ');
        this.#print(list ? this.#t('shell.members', { list }) : this.#t('shell.noMembers'));
        return true;
      }
      default: {
        if (!this.#speaker) {
          this.#print(this.#t('shell.noSpeaker'));
          return true;
        }
        // The bot's commands are read by their definitions, like Slack's text; others reach the engine as typed (it answers "unknown").
        const definition = findDefinition(parsed.name);
        const invocation = definition
          ? invocationFromText(definition, parsed.rest)
          : { command: parsed.name, options: { ...parsed.options, ...(parsed.args.length && { text: parsed.args.join(' ') }) } };
        if ('error' in invocation) {
          this.#print(invocation.error);
          return true;
        }
        const event: Partial<CommunityEvent> = { type: 'command.invoked', channel: this.#channel, member: this.#speaker, ...invocation };
        await this.#send(this.#event(event));
        return true;
      }
    }
  }
}
