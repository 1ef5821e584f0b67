/**
 * The context of one change batch for one scope, shared by every delivery of
 * the batch (so the joins of all subscribers' selections batch together):
 * built on first use, its span ended when the last delivery holding it is
 * released.
 */
import type { Delivery, LiveContext } from './access.js';
import type { LiveChange } from './events.js';

export class SharedContext {
  private context: LiveContext | undefined;
  private holders = 0;

  constructor(private readonly build: () => LiveContext) {}

  delivery(change: LiveChange): Delivery {
    this.holders += 1;
    let released = false;
    return {
      change,
      context: () => (this.context ??= this.build()),
      release: () => {
        if (released) return;
        released = true;
        this.holders -= 1;
        if (this.holders === 0) this.context?.span.end();
      },
    };
  }
}
