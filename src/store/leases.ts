/**
 * Leases: exclusive, expiring holds on a piece of work (a document's processing, a dossier
 * build). Exclusivity is the unique _id of the lease record — an insert is atomic on MongoDB
 * and FerretDB alike, where conditional updates are not. Holders renew by heartbeat; a lease
 * whose holder died expires and is taken over.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from './connection';
import type { LeaseRecord } from './job-models';

/** A holder name unique to this worker: machine, process and a random part (for the logs too). */
export function newHolderId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** True if `holder` now holds lease `id` for `ttlMs`. */
export async function claimLease(Lease: Model<LeaseRecord>, id: string, holder: string, ttlMs: number): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Lease.create({ _id: id, holder, expiresAt: new Date(Date.now() + ttlMs) });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const current = await Lease.findById(id).lean();
    if (current && current.expiresAt.getTime() > Date.now()) return false;
    // Expired: remove exactly that stale lease, then race for a fresh one (one insert wins).
    if (current) await Lease.deleteOne({ _id: id, holder: current.holder, expiresAt: current.expiresAt });
  }
  return false;
}

/** Renews the lease every third of its lifetime until the returned function is called. */
export function keepLeaseAlive(Lease: Model<LeaseRecord>, id: string, holder: string, ttlMs: number): () => void {
  const timer = setInterval(() => {
    Lease.updateOne({ _id: id, holder }, { $set: { expiresAt: new Date(Date.now() + ttlMs) } }).catch(() => {});
  }, Math.max(1_000, Math.floor(ttlMs / 3)));
  return () => clearInterval(timer);
}

/** Gives the lease up (only if `holder` still holds it). */
export async function releaseLease(Lease: Model<LeaseRecord>, id: string, holder: string): Promise<void> {
  await Lease.deleteOne({ _id: id, holder }).catch(() => {});
}
