/**
 * A map that keeps only its latest `limit` entries: what Retry and Escalate need of recent answers, without
 * growing for as long as the window stays open. No 'vscode' import, so it runs in unit tests.
 */
export class Recent<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly limit: number) {}

  /** Adds (or refreshes) an entry as the newest, dropping the oldest beyond the limit. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as K);
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  get size(): number {
    return this.map.size;
  }
}
