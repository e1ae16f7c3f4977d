/**
 * Review priority. Severity dominates: every flag of severity s scores in [100·s, 100·s + 90],
 * so a severity-3 flag always outranks a severity-2 one. Within a severity:
 *
 *   priority = 100·severity + 70 − min(70, penalties) + min(20, 5·(distinctEntries − 1))
 *
 *   penalties: negated 40 · condemned 30 · quoted 10 (30 if the entry says quotation
 *   `downgrade`) · fuzzy (OCR-tolerant or de-obfuscated match only) 15 · untargeted (no listed
 *   group, only a referent such as "the whole tribe") 20
 *
 * Several distinct entries agreeing on one span raise it slightly.
 */
import type { FlagSignals, Severity } from './types';

export function priorityOf(severity: Severity, signals: FlagSignals, quotationDowngrade: boolean, distinctEntries: number): number {
  let penalties = 0;
  if (signals.negated) penalties += 40;
  if (signals.condemned) penalties += 30;
  if (signals.quoted) penalties += quotationDowngrade ? 30 : 10;
  if (signals.fuzzy) penalties += 15;
  if (signals.untargeted) penalties += 20;
  const agreement = Math.min(20, 5 * Math.max(0, distinctEntries - 1));
  return 100 * severity + 70 - Math.min(70, penalties) + agreement;
}
