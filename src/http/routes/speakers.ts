/** Speaker registry for per-speaker dossiers: names in the original script, renderings, positions. */
import { Router } from 'express';
import { z } from 'zod';
import type { SpeakerService } from '../../ingest/speakers';
import type { SpeakerRecord } from '../../store/people';
import { Invalid } from '../../errors';
import { errors } from '../errors';
import { idParam, paginationShape, parseQuery } from '../validate';

const name = z.string().trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters').transform((s) => s.normalize('NFC'));
const isoDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)');

export const SpeakerInput = z
  .object({
    name,
    transliterations: z.array(name).max(50).default([]),
    aliases: z.array(name).max(50).default([]),
    positions: z
      .array(
        z
          .object({ title: name, institution: name.optional(), from: isoDate.optional(), to: isoDate.optional() })
          .strict()
          .refine((p) => !p.from || !p.to || p.from <= p.to, { message: '"from" must not be after "to"', path: ['from'] }),
      )
      .max(100)
      .default([]),
  })
  .strict();

export const SpeakerListQuery = z.object({ ...paginationShape }).strict();

export function speakerView(s: SpeakerRecord) {
  return {
    id: String(s._id),
    name: s.name,
    transliterations: s.transliterations ?? [],
    aliases: s.aliases ?? [],
    positions: (s.positions ?? []).map((p) => ({ title: p.title, institution: p.institution ?? null, from: p.from ?? null, to: p.to ?? null })),
    createdAt: s.createdAt,
    links: { self: `/api/speakers/${String(s._id)}` },
  };
}

export function speakerRoutes(speakers: SpeakerService): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    if (!req.is('application/json')) throw errors.unsupportedType('send the speaker as application/json');
    const parsed = SpeakerInput.safeParse(req.body ?? {});
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'speaker');
    const view = speakerView(await speakers.register(parsed.data));
    res.status(201).location(view.links.self).json({ speaker: view });
  });

  router.get('/', async (req, res) => {
    const { offset, limit } = parseQuery(SpeakerListQuery, req.query);
    const page = await speakers.list({ offset, limit });
    res.json({ items: page.items.map(speakerView), total: page.total, offset, limit });
  });

  router.get('/:id', async (req, res) => {
    res.json({ speaker: speakerView(await speakers.get(idParam(req.params.id, 'speaker'))) });
  });

  return router;
}
