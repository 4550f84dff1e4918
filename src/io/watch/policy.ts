// When a write may happen (#13). Any write while the person's editor holds unsaved changes
// makes the editor object at their next save, and people save, type on, and save again. So a
// write waits for a moment when the editor can take it without asking: no new save for
// `quietMs` after the one derive saw (the person has stopped to think, and the editor can
// reload before they type again), and no unsaved changes in their editor (editors.ts).
import type { DeriveReason } from './state.js';

export type Moment = 'now' | 'superseded' | 'editor-busy';

export interface MomentOptions {
  reason: DeriveReason;
  /** When derive's content had settled. */
  settledAt: number;
  quietMs: number;
  /** How long a 'flush' (watch stopping) waits for the editor's unsaved changes to be saved. */
  flushWaitMs: number;
  /** True once the person has saved again since derive read the file, or the watcher closes. */
  superseded(): boolean;
  unsavedChanges?(): Promise<string | undefined>;
  sleep(ms: number): Promise<void>;
}

/**
 * 'now', or why not: a new save supersedes the wait (its own round derives again); unsaved
 * changes end a 'change' or 'start' wait at once (their next save starts a new round), and a
 * 'flush' after `flushWaitMs`.
 */
export async function momentToWrite(o: MomentOptions): Promise<Moment> {
  const quietUntil = o.reason === 'change' ? o.settledAt + o.quietMs : o.settledAt;
  const giveUpAt = o.reason === 'flush' ? o.settledAt + o.flushWaitMs : o.settledAt;
  for (;;) {
    if (o.superseded()) return 'superseded';
    const busy = o.unsavedChanges ? await o.unsavedChanges().catch(() => undefined) : undefined;
    if (busy && Date.now() >= giveUpAt) return 'editor-busy';
    if (!busy && Date.now() >= quietUntil) return 'now';
    await o.sleep(Math.max(10, Math.min(100, quietUntil - Date.now())));
  }
}
