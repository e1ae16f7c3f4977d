/** Opens a mongoose connection of our own (not the global one) and registers the models on it. */
import mongoose from 'mongoose';
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

export async function connectDatabase(uri: string, dbName: string): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: 10_000,
    // FerretDB v1 has no sessions/transactions and no retryable writes.
    retryWrites: false,
    autoIndex: false,
  });
  await connection.asPromise();
  const models = registerModels(connection);
  await migrate(models);
  // Indexes carry invariants (unique hashes, one lease per job), so build them before use.
  for (const model of Object.values(models)) await model.createIndexes();
  return { connection, models, repos: createRepositories(models), close: () => connection.close() };
}

export { insertIgnoringDuplicates, isDuplicateKeyError } from './duplicates';
