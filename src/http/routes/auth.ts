import { Router } from 'express';
import { actorOf, requirePrincipal } from '../../auth/principal';
import { apiKeyView, SESSION_COOKIE, userView, type AuthService } from '../../auth/service';
import { NotFound } from '../../errors';
import { readCookie } from '../access';

/** Login/logout (session cookie + CSRF token), who am I, and one's own API keys. */
export function authRoutes(auth: AuthService): Router {
  const router = Router();

  router.post('/login', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const session = await auth.login(body.username, body.password, req.ip ?? 'unknown');
    res.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'strict',
      // Secure whenever the request came over TLS (directly, or via a proxy the app trusts).
      secure: req.secure,
      path: '/',
      maxAge: auth.sessionTtlMs,
    });
    res.json({ user: userView(session.user), csrfToken: session.csrfToken, expiresAt: session.expiresAt });
  });

  router.post('/logout', async (req, res) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await auth.logout(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/me', async (_req, res) => {
    const principal = requirePrincipal(res);
    res.json({ user: { id: String(principal.userId), username: principal.username, roles: principal.roles }, via: principal.via, csrfToken: principal.csrfToken ?? null });
  });

  router.get('/keys', async (_req, res) => {
    res.json({ items: (await auth.listApiKeys(requirePrincipal(res).userId)).map(apiKeyView) });
  });

  router.post('/keys', async (req, res) => {
    const { key, record } = await auth.createApiKey(requirePrincipal(res).userId, req.body, actorOf(res));
    res.status(201).json({ key, apiKey: apiKeyView(record), note: 'the key is shown only now; store it safely' });
  });

  router.post('/keys/:id/revoke', async (req, res) => {
    if (!/^[A-Za-z0-9]{16}$/.test(req.params.id)) throw new NotFound('API key');
    res.json({ apiKey: apiKeyView(await auth.revokeApiKey(requirePrincipal(res), req.params.id, actorOf(res))) });
  });

  return router;
}
