import { Router } from 'express';
import { z } from 'zod';
import type { AuditEventRecord } from '../../store/audit';
import type { AuditLog } from '../../audit/log';
import { parseQuery } from '../validate';

export const AuditQuery = z
  .object({
    entityType: z.string().regex(/^[a-z_]{1,40}$/).optional(),
    entityId: z.string().regex(/^[A-Za-z0-9_.:@+-]{1,200}$/).optional(), // + : lexicon versions (2026.11.0+2)
    afterSeq: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

export function auditEventView(e: AuditEventRecord) {
  return {
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    role: e.role,
    action: e.action,
    entity: e.entity,
    change: e.change ?? null,
    reason: e.reason ?? null,
    payloadSha256: e.payloadSha256,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/** Admin: read the audit trail (by entity, paged by sequence number) and verify its chain. */
export function auditRoutes(audit: AuditLog): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { limit, ...filter } = parseQuery(AuditQuery, req.query);
    const items = await audit.list(filter, limit);
    res.json({ items: items.map(auditEventView), next: items.length === limit ? { afterSeq: items[items.length - 1]!.seq } : null });
  });
  router.get('/verify', async (_req, res) => {
    res.json(await audit.verify());
  });
  return router;
}
