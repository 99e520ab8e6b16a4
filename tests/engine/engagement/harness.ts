import type { Action } from '../../../src/contracts/index.js';
import { createTestEngine, type DatabaseKind, type TestEngine } from '../../support/test-engine.js';

/** A test community driven on a virtual clock: events at given times, jobs run in between, every action kept. */
export class Community {
  readonly actions: Action[] = [];
  #n = 0;
  private constructor(
    readonly t: TestEngine,
    readonly platform: 'discord' | 'slack' | 'shell',
    readonly community: string,
  ) {}

  static async open(kind: DatabaseKind, options: { config?: string; start?: Date; platform?: 'discord' | 'slack'; community?: string } = {}): Promise<Community> {
    const community = options.community ?? 'g1';
    const t = await createTestEngine(kind, {
      start: options.start ?? new Date('2026-11-01T00:00:00Z'),
      ...(options.config && { configFiles: { 'communities/test.yaml': `community: ${community}\n${options.config}` } }),
    });
    const c = new Community(t, options.platform ?? 'discord', community);
    t.engine.attachJobs(async (actions) => void c.actions.push(...actions));
    return c;
  }

  /** Another community (platform) on the same engine and database. */
  on(platform: 'discord' | 'slack', community: string): Community {
    const other = new Community(this.t, platform, community);
    other.actions.push = (...items: Action[]) => this.actions.push(...items);
    return other;
  }

  async until(at: Date): Promise<void> {
    if (at > this.t.clock.now()) {
      await this.t.scheduler.runUntil(at);
      this.t.clock.advanceTo(at);
    }
  }

  async send(at: Date, body: Record<string, unknown>, id = `${this.platform}-${this.community}-e${++this.#n}`): Promise<Action[]> {
    await this.until(at);
    const outcome = await this.t.engine.handle({ id, platform: this.platform, community: this.community, at: at.toISOString(), ...body });
    if (outcome.status === 'invalid') throw new Error(outcome.problems.join('; '));
    if (outcome.status === 'failed') throw outcome.error;
    this.actions.push(...outcome.actions);
    return outcome.actions;
  }

  say(at: Date, author: Member, text: string, extra: Record<string, unknown> = {}, id?: string): Promise<Action[]> {
    return this.send(at, { type: 'message.created', channel: 'general', author, text, ...extra }, id);
  }

  command(at: Date, member: Member, command: string, options: Record<string, string | number | boolean> = {}): Promise<Action[]> {
    return this.send(at, { type: 'command.invoked', channel: 'general', member, command, options });
  }

  /** The text of the first ephemeral answer among actions. */
  static answer(actions: Action[]): string {
    const reply = actions.find((a) => a.type === 'reply.ephemeral');
    if (!reply || reply.type !== 'reply.ephemeral') throw new Error(`no ephemeral reply in ${JSON.stringify(actions)}`);
    return reply.message.text;
  }

  dispose(): Promise<void> {
    return this.t.dispose();
  }
}

export interface Member {
  id: string;
  name: string;
  bot?: boolean;
  roles?: string[];
}

export const member = (id: string, extra: Partial<Member> = {}): Member => ({ id, name: id[0]!.toUpperCase() + id.slice(1), ...extra });
export const minutes = (start: Date, n: number): Date => new Date(start.getTime() + n * 60_000);
export const days = (start: Date, n: number): Date => new Date(start.getTime() + n * 86_400_000);
