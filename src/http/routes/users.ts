import { Router } from 'express';
import { actorOf } from '../../auth/principal';
import { userView, type AuthService } from '../../auth/service';
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
  return router;
}
