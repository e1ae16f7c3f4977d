import { Router } from 'express';
import type { FirstAdminSetup } from '../../auth/setup';
import { userView } from '../../auth/service';

/** The first-run setup page's two calls: is this link live, and create the first admin with it. */
export function setupRoutes(setup: FirstAdminSetup): Router {
  const router = Router();
  // POST, so the token never sits in a URL (logs, history).
  router.post('/check', async (req, res) => {
    res.json({ valid: await setup.isValid((req.body as { token?: unknown } | undefined)?.token) });
  });
  router.post('/', async (req, res) => {
    res.status(201).json({ user: userView(await setup.createFirstAdmin(req.body)) });
  });
  return router;
}
