import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Action, CommunityEvent } from '../../contracts/index.js';
import type { VirtualClock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { Engine } from '../../engine/pipeline.js';
import { actorOf } from '../../engine/records/index.js';
import type { VirtualTimeScheduler } from '../../jobs/in-process-scheduler.js';
import { renderAction, type Names } from '../shell/render.js';

export interface ReplayOptions {
  file: string;
  engine: Engine;
  clock: VirtualClock;
  scheduler: VirtualTimeScheduler;
  logger: Logger;
  /** Run scheduled work up to this time at the end; default: last event + 24 h. */
  until?: Date;
  json: boolean;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export interface ReplaySummary {
  events: number;
  duplicates: number;
  badLines: number;
  failedEvents: number;
  actions: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Feeds a JSONL file of CommunityEvents through the engine on a virtual clock taken from
 * the events' `at`: scheduled work whose time has come runs between events, and at the end
 * everything due up to `until`. Bad lines are reported with their number; the rest still run.
 */
export async function replayFile(options: ReplayOptions): Promise<ReplaySummary> {
  const { engine, clock, scheduler, out, err, json } = options;
  const summary: ReplaySummary = { events: 0, duplicates: 0, badLines: 0, failedEvents: 0, actions: 0 };
  const memberNames = new Map<string, string>();
  const names: Names = { member: (id) => memberNames.get(id), channel: (id) => id };

  const print = (actions: readonly Action[]) => {
    for (const action of actions) out.write(`${json ? JSON.stringify(action) : renderAction(action, names)}\n`);
    summary.actions += actions.length;
  };
  engine.attachJobs(async (actions) => print(actions));

  const remember = (event: CommunityEvent) => {
    const ref = actorOf(event);
    if (ref) memberNames.set(ref.id, ref.name);
  };

  let lastAt: number | undefined;
  let lineNumber = 0;
  const lines = createInterface({ input: createReadStream(options.file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    lineNumber++;
    if (!line.trim()) continue;
    const bad = (reason: string) => {
      summary.badLines++;
      err.write(`${options.file}:${lineNumber}: ${reason}\n`);
    };
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      bad(`not valid JSON (${(error as Error).message})`);
      continue;
    }
    const parsed = Engine.parseEvent(raw);
    if (!parsed.ok) {
      bad(`not a valid event: ${parsed.problems.join('; ')}`);
      continue;
    }
    const { event } = parsed;
    const at = new Date(event.at);
    await scheduler.runUntil(at);
    clock.advanceTo(at);
    lastAt = Math.max(lastAt ?? at.getTime(), at.getTime());
    remember(event);
    const outcome = await engine.handle(event);
    summary.events++;
    if (outcome.status === 'duplicate') summary.duplicates++;
    if (outcome.status === 'failed') {
      summary.failedEvents++;
      err.write(`${options.file}:${lineNumber}: event ${event.id} failed: ${(outcome.error as Error)?.message ?? String(outcome.error)}\n`);
    }
    print(outcome.actions);
  }
  const until = options.until ?? (lastAt === undefined ? undefined : new Date(lastAt + DAY_MS));
  if (until) await scheduler.runUntil(until);
  await engine.idle();
  return summary;
}
