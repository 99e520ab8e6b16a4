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

interface Entry {
  pending: PendingInteraction;
  /** Whose interaction it is: `community:member`. */
  owner: string;
}

/**
 * The interactions waiting for the engine's `reply.ephemeral`, by id and by member. A reply
 * answers the interaction its `cause` names (an interaction's event id is the interaction's id),
 * so two commands a member runs in quick succession each get their own answer; a reply caused by
 * something else (a job, a message) answers the member's latest interaction. In memory: a
 * process answers the interactions it received.
 */
export class PendingInteractions {
  /** By interaction id, in order of registration, which is the order of expiry (for the sweep). */
  readonly #byId = new Map<string, Entry>();
  /** The latest interaction id of each `community:member`. */
  readonly #latest = new Map<string, string>();

  constructor(private readonly now: () => number = Date.now) {}

  register(community: string, member: string, entry: Omit<PendingInteraction, 'originalUsed' | 'expiresAt'>): PendingInteraction {
    this.#sweep();
    const owner = ownerKey(community, member);
    const pending: PendingInteraction = { ...entry, originalUsed: false, expiresAt: this.now() + LIFETIME_MS };
    this.#byId.delete(entry.id);
    this.#byId.set(entry.id, { pending, owner });
    this.#latest.set(owner, entry.id);
    return pending;
  }

  /** The interaction named by `cause` if it is this member's in this community, else the member's latest one. */
  find(community: string, member: string, cause?: string): PendingInteraction | undefined {
    const owner = ownerKey(community, member);
    const caused = cause === undefined ? undefined : this.#live(cause);
    if (caused && caused.owner === owner) return caused.pending;
    const latest = this.#latest.get(owner);
    return latest === undefined ? undefined : this.#live(latest)?.pending;
  }

  get size(): number {
    return this.#byId.size;
  }

  #live(id: string): Entry | undefined {
    const entry = this.#byId.get(id);
    if (entry && entry.pending.expiresAt <= this.now()) {
      this.#forget(id, entry);
      return undefined;
    }
    return entry;
  }

  #forget(id: string, entry: Entry): void {
    this.#byId.delete(id);
    if (this.#latest.get(entry.owner) === id) this.#latest.delete(entry.owner);
  }

  #sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.#byId) {
      if (entry.pending.expiresAt > now) break;
      this.#forget(id, entry);
    }
  }
}

const ownerKey = (community: string, member: string): string => `${community}:${member}`;
