import { Router } from 'express';
import { actorOf } from '../../auth/principal';
import { apiKeyView, userView, type AuthService } from '../../auth/service';
import { idParam } from '../validate';

/** Admin: people and their roles. Users are disabled, never deleted (they are audit actors). */
export function userRoutes(auth: AuthService): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ items: (await auth.listUsers()).map(userView) });
  });
  router.post('/', async (req, res) => {
    const user = await auth.createUser(req.body, actorOf(res));
    res.status(201).json({ user: userView(user) });
  });
  router.patch('/:id', async (req, res) => {
    const user = await auth.updateUser(idParam(req.params.id, 'user'), req.body, actorOf(res));
    res.json({ user: userView(user) });
  });
  // Login throttling slows a user down, never locks them out; an admin can lift it at once.
  router.post('/:id/unlock', async (req, res) => {
    const { user, cleared } = await auth.unlockUser(idParam(req.params.id, 'user'), actorOf(res));
    res.json({ user: userView(user), cleared });
  });
  // Any user's API keys (revoking one: POST /api/auth/keys/:id/revoke).
  router.get('/:id/keys', async (req, res) => {
    res.json({ items: (await auth.listApiKeysOfUser(idParam(req.params.id, 'user'))).map(apiKeyView) });
  });
  return router;
}

/** Admin: every API key of every user, with its owner (revoking one: POST /api/auth/keys/:id/revoke). */
export function apiKeyRoutes(auth: AuthService): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const all = await auth.listAllApiKeys();
    res.json({ items: all.map(({ key, owner }) => ({ ...apiKeyView(key), user: { id: String(key.user), username: owner } })) });
  });
  return router;
}
