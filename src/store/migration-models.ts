/**
 * The record of one-time data migrations (src/store/migrate.ts): one record a migration, under
 * its name, inserted once it has run. A second process starting at the same time may run the
 * same idempotent steps; the unique _id keeps one record.
 */
import { Schema, type Connection, type Model } from 'mongoose';

export interface MigrationRecord {
  /** The migration's name, e.g. `backfill-legacy-fields`. */
  _id: string;
  appliedAt: Date;
  /** Records changed, per collection and field (`{ pages: { version: 12 } }`), for the operator. */
  changed: Record<string, Record<string, number>>;
}

const migrationSchema = new Schema<MigrationRecord>(
  { _id: { type: String, required: true }, appliedAt: { type: Date, required: true }, changed: { type: Schema.Types.Mixed, default: {} } },
  { collection: 'migrations', strict: 'throw', versionKey: false },
);

export interface MigrationModels {
  Migration: Model<MigrationRecord>;
}

export function registerMigrationModels(connection: Connection): MigrationModels {
  return { Migration: connection.model<MigrationRecord>('Migration', migrationSchema) };
}
