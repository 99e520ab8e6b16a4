import type { Action } from '../../src/contracts/index.js';
import type { TestEngine } from './test-engine.js';

/** Drives a test engine on a virtual clock: events at given seconds after a start, scheduled work run up to each event. */
export class Conversation {
  #seq = 0;
  /** Actions of jobs (tally edits, closings) as they run. */
  readonly jobActions: Action[] = [];

  constructor(
    private readonly t: TestEngine,
    private readonly start = Date.UTC(2026, 10, 2, 9, 0, 0),
    private readonly community = 'g1',
    private readonly prefix = 'ev',
    /** Whether this conversation collects the engine's job actions (one conversation per engine may). */
    attach = true,
  ) {
    if (attach) t.engine.attachJobs(async (actions) => void this.jobActions.push(...actions));
  }

  at(seconds: number): Date {
    return new Date(this.start + seconds * 1000);
  }

  /** Runs scheduled work due up to `seconds` (and sets the clock there); returns what it did. */
  async runUntil(seconds: number): Promise<Action[]> {
    const before = this.jobActions.length;
    await this.t.scheduler.runUntil(this.at(seconds));
    return this.jobActions.slice(before);
  }

  async send(seconds: number, body: Record<string, unknown>): Promise<Action[]> {
    await this.runUntil(seconds);
    const outcome = await this.t.engine.handle({ id: `${this.prefix}-${++this.#seq}`, platform: 'discord', community: this.community, at: this.at(seconds).toISOString(), ...body });
    if (outcome.status !== 'processed') throw new Error(`event was ${outcome.status}: ${JSON.stringify(outcome)}`);
    return outcome.actions;
  }

  join(seconds: number, member: { id: string; name: string; roles?: string[] }) {
    return this.send(seconds, { type: 'member.joined', member });
  }

  leave(seconds: number, member: { id: string; name: string }) {
    return this.send(seconds, { type: 'member.left', member });
  }

  command(seconds: number, member: object, command: string, options: Record<string, string | number | boolean> = {}, channel = 'general') {
    return this.send(seconds, { type: 'command.invoked', channel, member, command, options });
  }

  press(seconds: number, member: object, componentId: string, channel = 'general') {
    return this.send(seconds, { type: 'component.used', channel, member, componentId });
  }
}

export const ofType = <T extends Action['type']>(actions: readonly Action[], type: T) => actions.filter((a): a is Extract<Action, { type: T }> => a.type === type);
export const ephemeralTexts = (actions: readonly Action[]) => ofType(actions, 'reply.ephemeral').map((a) => a.message.text);
/** The buttons of the first message sent with the given key. */
export function buttonsOf(actions: readonly Action[], key: string): { id: string; label: string }[] {
  const sent = ofType(actions, 'message.send').find((a) => a.key === key);
  if (!sent) throw new Error(`no message with key ${key}`);
  return sent.message.buttons ?? [];
}
