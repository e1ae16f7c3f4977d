/**
 * Production settings follow the URI: a replica set gets majority writes and retryable writes;
 * a standalone server or the embedded FerretDB keeps the server's defaults (FerretDB v1 has no
 * retryable writes); what the URI says itself wins.
 */
import { connectionSettings } from '../../src/store/connection-settings';

it('gives a replica set majority writes, retryable writes, and the lagging-read preference', () => {
  const settings = connectionSettings('mongodb://db1,db2,db3/?replicaSet=rs0', 'secondaryPreferred');
  expect(settings.replicaSet).toBe(true);
  expect(settings.options).toEqual(expect.objectContaining({ retryWrites: true, writeConcern: { w: 'majority' }, readPreference: 'primary' }));
  expect(settings.laggingReads).toBe('secondaryPreferred');
  expect(connectionSettings('mongodb+srv://cluster0.example.org/').replicaSet).toBe(true);
});

it('leaves a standalone server and the embedded FerretDB without retryable writes, reading the primary', () => {
  const settings = connectionSettings('mongodb://127.0.0.1:27017/', 'secondaryPreferred');
  expect(settings.replicaSet).toBe(false);
  expect(settings.options.retryWrites).toBe(false);
  expect(settings.options.writeConcern).toBeUndefined();
  expect(settings.laggingReads).toBe('primary');
});

it('lets the URI decide what it names', () => {
  const settings = connectionSettings('mongodb://db1/?replicaSet=rs0&w=2&retryWrites=false&readPreference=nearest');
  expect(settings.options.writeConcern).toBeUndefined();
  expect(settings.options.retryWrites).toBeUndefined();
  expect(settings.options.readPreference).toBeUndefined();
});
