/** A bounded FIFO that drops its oldest items when full, counting them. */
export class DropOldestQueue<T> {
  private items: T[] = [];
  /** Items dropped since the queue was made. */
  dropped = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length;
  }

  /** Adds an item; returns how many old ones it pushed out (0 or 1). */
  push(item: T): number {
    this.items.push(item);
    if (this.items.length <= this.capacity) return 0;
    const over = this.items.length - this.capacity;
    this.items.splice(0, over);
    this.dropped += over;
    return over;
  }

  take(max: number): T[] {
    return this.items.splice(0, Math.max(0, max));
  }
}
