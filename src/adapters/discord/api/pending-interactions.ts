/** Interaction tokens work for 15 minutes; replies after this go as DMs instead. */
const LIFETIME_MS = 10 * 60_000;

export interface PendingInteraction {
  id: string;
  token: string;
  applicationId: string;
  /** `command`: a deferred ephemeral reply, whose original message the first reply fills. `component`: a deferred update. */
  kind: 'command' | 'component';
  /** The deferral's REST call: replies wait for it, as Discord needs the acknowledgement first. */
  acknowledged: Promise<void>;
  /** Whether a reply has filled the deferred original message (later replies are follow-ups). */
  originalUsed: boolean;
  expiresAt: number;
}

/**
 * The latest interaction of each member in each community, so that the engine's
 * `reply.ephemeral` for that member answers it (the engine's actions carry no interaction).
 * In memory: a process answers the interactions it received.
 */
export class PendingInteractions {
  readonly #entries = new Map<string, PendingInteraction>();

  constructor(private readonly now: () => number = Date.now) {}

  register(community: string, member: string, entry: Omit<PendingInteraction, 'originalUsed' | 'expiresAt'>): PendingInteraction {
    this.#sweep();
    const key = `${community}:${member}`;
    const pending: PendingInteraction = { ...entry, originalUsed: false, expiresAt: this.now() + LIFETIME_MS };
    // Re-inserted at the end, so the map stays ordered by expiry for the sweep.
    this.#entries.delete(key);
    this.#entries.set(key, pending);
    return pending;
  }

  find(community: string, member: string): PendingInteraction | undefined {
    const key = `${community}:${member}`;
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  get size(): number {
    return this.#entries.size;
  }

  #sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) break;
      this.#entries.delete(key);
    }
  }
}
