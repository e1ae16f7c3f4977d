import mongoose from 'mongoose';

/** A record id as clients send it: 24 hex digits (anything else is never an id, so never a query). */
export function isObjectIdHex(value: string): boolean {
  return /^[0-9a-f]{24}$/i.test(value) && mongoose.isValidObjectId(value);
}
