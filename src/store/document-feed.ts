/**
 * One feed of document changes per process, shared by every progress stream (SSE) it serves.
 *
 * Each stream used to read its document twice a second: 300 streams were 600 queries a second,
 * and every other request waited behind them. Now the process watches once:
 * - `change-stream`: a MongoDB change stream on `documents` (a replica set: MongoDB has change
 *   streams only there), so a write by any process reaches every subscriber without a query;
 * - `poll`: elsewhere (a standalone MongoDB, the embedded FerretDB, which has no change streams),
 *   ONE query per interval, `{_id: {$in: [the documents someone watches]}}`, however many
 *   streams are open; the next poll is scheduled when the previous one has answered.
 * A change stream that fails (the server stepped down and came back without one, …) falls back
 * to polling for the rest of the process's life.
 */
import type { mongo, Types } from 'mongoose';
import type { DocumentRecord, Models } from './models';

/** Called with the document as it is now, or null once it is gone. */
export type DocumentListener = (doc: DocumentRecord | null) => void;

export type DocumentFeedMode = 'change-stream' | 'poll';

export interface DocumentFeedOptions {
  /** Interval between polls (ms), when polling. */
  pollMs: number;
  /** 'auto' (default): a change stream where the server is a replica set member, else polling. */
  mode?: DocumentFeedMode | 'auto';
  log?: (message: string, error?: unknown) => void;
}

export class DocumentFeed {
  private readonly listeners = new Map<string, Set<DocumentListener>>();
  private mode: DocumentFeedMode | undefined;
  private deciding: Promise<DocumentFeedMode> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private stream: mongo.ChangeStream | undefined;
  private closed = false;
  /** Queries this feed has sent (polls), for the benchmark and the tests. */
  queries = 0;

  constructor(
    private readonly models: Pick<Models, 'Document'>,
    private readonly options: DocumentFeedOptions,
  ) {}

  /** How the feed follows changes (decided at the first subscription). */
  async currentMode(): Promise<DocumentFeedMode> {
    if (this.mode) return this.mode;
    this.deciding ??= this.decide();
    return this.deciding;
  }

  /** Follows one document; returns the function that stops following it. */
  async subscribe(id: Types.ObjectId | string, listener: DocumentListener): Promise<() => void> {
    const key = String(id);
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    const mode = await this.currentMode();
    if (mode === 'poll') this.schedulePoll();
    return () => {
      const current = this.listeners.get(key);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.listeners.delete(key);
      if (this.listeners.size === 0) this.stopPolling();
    };
  }

  /** How many streams are subscribed (all documents). */
  get subscribers(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopPolling();
    this.listeners.clear();
    const stream = this.stream;
    this.stream = undefined;
    await stream?.close().catch(() => {});
  }

  private async decide(): Promise<DocumentFeedMode> {
    const wanted = this.options.mode ?? 'auto';
    let mode: DocumentFeedMode = wanted === 'auto' ? ((await this.isReplicaSet()) ? 'change-stream' : 'poll') : wanted;
    if (mode === 'change-stream' && !this.openChangeStream()) mode = 'poll';
    this.mode = mode;
    return mode;
  }

  private async isReplicaSet(): Promise<boolean> {
    try {
      const hello = await this.models.Document.db.db!.admin().command({ hello: 1 });
      return typeof hello.setName === 'string';
    } catch {
      return false;
    }
  }

  private openChangeStream(): boolean {
    try {
      const stream = this.models.Document.collection.watch([{ $match: { operationType: { $in: ['insert', 'update', 'replace', 'delete'] } } }], { fullDocument: 'updateLookup' });
      stream.on('change', (change) => {
        if (!('documentKey' in change) || !change.documentKey) return;
        const key = String((change.documentKey as { _id: unknown })._id);
        const doc = change.operationType === 'delete' ? null : ((change as { fullDocument?: DocumentRecord }).fullDocument ?? null);
        this.emit(key, doc);
      });
      stream.on('error', (error) => {
        this.options.log?.('document change stream failed; polling instead', error);
        if (this.stream === stream) this.stream = undefined;
        void stream.close().catch(() => {});
        this.mode = 'poll';
        if (!this.closed && this.listeners.size > 0) this.schedulePoll();
      });
      this.stream = stream;
      return true;
    } catch (error) {
      this.options.log?.('no document change stream; polling instead', error);
      return false;
    }
  }

  private emit(key: string, doc: DocumentRecord | null): void {
    for (const listener of [...(this.listeners.get(key) ?? [])]) {
      try {
        listener(doc);
      } catch (error) {
        this.options.log?.('a progress listener failed', error);
      }
    }
  }

  private schedulePoll(): void {
    if (this.closed || this.timer || this.polling || this.mode !== 'poll') return;
    this.timer = setTimeout(() => void this.poll(), this.options.pollMs);
  }

  private stopPolling(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    const keys = [...this.listeners.keys()];
    if (keys.length === 0 || this.closed) return;
    this.polling = true;
    try {
      this.queries += 1;
      const docs = await this.models.Document.find({ _id: { $in: keys } }).lean<DocumentRecord[]>();
      const found = new Map(docs.map((doc) => [String(doc._id), doc]));
      for (const key of keys) this.emit(key, found.get(key) ?? null);
    } catch (error) {
      this.options.log?.('polling documents failed', error);
    } finally {
      this.polling = false;
    }
    if (this.listeners.size > 0) this.schedulePoll();
  }
}
