/** Opens a mongoose connection of our own (not the global one) and registers the models on it. */
import mongoose from 'mongoose';
import { connectionSettings, type LaggingReadPreference } from './connection-settings';
import { migrate } from './migrate';
import { registerModels, type Models } from './models';
import { createRepositories, type Repositories } from './repositories';

export interface Database {
  connection: mongoose.Connection;
  models: Models;
  /** What services use: narrow repositories per aggregate (src/store/repositories.ts). */
  repos: Repositories;
  close(): Promise<void>;
}

/** `laggingReads`: the read preference for lists and statistics on a replica set (MONGODB_LAGGING_READS). */
export async function connectDatabase(uri: string, dbName: string, options: { laggingReads?: LaggingReadPreference } = {}): Promise<Database> {
  // Majority writes and retryable writes on a replica set; FerretDB v1 has no retryable writes.
  const settings = connectionSettings(uri, options.laggingReads);
  const connection = mongoose.createConnection(uri, { dbName, ...settings.options });
  await connection.asPromise();
  const models = registerModels(connection);
  await migrate(models);
  // Indexes carry invariants (unique hashes, one lease per job), so build them before use.
  for (const model of Object.values(models)) await model.createIndexes();
  return { connection, models, repos: createRepositories(models, { laggingReads: settings.laggingReads }), close: () => connection.close() };
}

export { insertIgnoringDuplicates, isDuplicateKeyError } from './duplicates';
