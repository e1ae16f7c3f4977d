/**
 * Driver settings from the database URI. On a replica set (the URI names one with `replicaSet=`,
 * or is a `mongodb+srv://` seed list, which names it through DNS) writes are acknowledged by a
 * majority and retried once across an election, so an acknowledged review or audit event survives
 * a failover. Elsewhere (a standalone server, the embedded FerretDB, which has neither sessions
 * nor retryable writes) the server's defaults stand. Settings the URI gives itself win.
 * See docs/operations.md.
 */
import type { ConnectOptions } from 'mongoose';

export const LAGGING_READ_PREFERENCES = ['primary', 'primaryPreferred', 'secondary', 'secondaryPreferred', 'nearest'] as const;
export type LaggingReadPreference = (typeof LAGGING_READ_PREFERENCES)[number];

export interface ConnectionSettings {
  replicaSet: boolean;
  options: ConnectOptions;
  /** For reads that may lag behind the newest writes (lists, statistics); only on a replica set. */
  laggingReads: LaggingReadPreference;
}

export function connectionSettings(uri: string, laggingReads: LaggingReadPreference = 'primary'): ConnectionSettings {
  const params = new URLSearchParams(uri.split('?')[1] ?? '');
  const has = (name: string) => [...params.keys()].some((key) => key.toLowerCase() === name.toLowerCase());
  const replicaSet = has('replicaSet') || uri.startsWith('mongodb+srv://');
  const options: ConnectOptions = { serverSelectionTimeoutMS: 10_000, autoIndex: false };
  if (!replicaSet) return { replicaSet, options: { ...options, ...(has('retryWrites') ? {} : { retryWrites: false }) }, laggingReads: 'primary' };
  return {
    replicaSet,
    options: {
      ...options,
      ...(has('retryWrites') ? {} : { retryWrites: true }),
      ...(has('w') ? {} : { writeConcern: { w: 'majority' } }),
      ...(has('readPreference') ? {} : { readPreference: 'primary' }),
    },
    laggingReads,
  };
}
