/** A signal to wait on: `next()` resolves at the following `ring()`. */
export class Bell {
  private waiting: (() => void)[] = [];
  ring(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
  next(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
