/** E11000 (duplicate key) is how the store says "someone else already has it": claims, dedup, idempotent inserts. */

/** Duplicate key (E11000): used as "someone else already has it" for claims and dedup. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/** insertMany(ordered: false) where E11000 means "already written by an earlier or parallel run"; true when some were. */
export async function insertIgnoringDuplicates(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return false;
  } catch (error) {
    const writeErrors = (error as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> }).writeErrors;
    const onlyDuplicates = Array.isArray(writeErrors) && writeErrors.length > 0
      ? writeErrors.every((e) => (e.code ?? e.err?.code) === 11000)
      : isDuplicateKeyError(error);
    if (!onlyDuplicates) throw error;
    return true;
  }
}
