/** Ids in first-seen order with their rows; ids added after `profileCount` have no side-feature row. */
export class IdIndex {
  private readonly rows = new Map<string, number>();
  private readonly list: string[] = [];

  /** Row of `id`, adding it at the end when new. */
  intern(id: string): number {
    let row = this.rows.get(id);
    if (row === undefined) {
      row = this.list.length;
      this.rows.set(id, row);
      this.list.push(id);
    }
    return row;
  }

  /** Row of `id`, or undefined. */
  get(id: string): number | undefined {
    return this.rows.get(id);
  }

  get size(): number {
    return this.list.length;
  }

  /** Ids by row. */
  get ids(): readonly string[] {
    return this.list;
  }
}
