/**
 * Remembers the answers of slow lookups (Web API calls) for a while. Concurrent lookups of
 * one key share a single call; a failed lookup is forgotten at once, so the next one retries.
 */
export class TtlCache<T> {
  readonly #entries = new Map<string, { value: Promise<T>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const entry = this.#entries.get(key);
    if (entry && entry.expires > now) return entry.value;
    if (this.#entries.size >= this.maxEntries) this.#evict(now);
    const value = load();
    this.#entries.set(key, { value, expires: now + this.ttlMs });
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    return value;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  #evict(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.expires <= now) this.#entries.delete(key);
    // Still full: drop the oldest (a Map iterates in insertion order).
    while (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }
}
