/**
 * The reviewers' web interface: a small front end of static files (one HTML shell, plain ES
 * modules, one stylesheet) served by the app itself, no CDN and no inline script. The shell
 * carries no data: every screen reads the JSON API in the browser, so the route × role table
 * (src/http/access.ts) decides what each person can see and do, exactly as for API clients.
 * Every value from the API reaches the page through DOM text nodes, never as HTML.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/** The static files, beside this module: in src/web, and in dist/web after `npm run build` (which copies them). */
function publicDir(): string {
  return path.join(__dirname, 'public');
}

/** Screens of the interface; each answers with the same shell, which picks the screen from the path. */
export const WEB_SCREENS = ['/', '/login', '/setup', '/upload', '/documents', '/documents/:id', '/queue', '/lexicon', '/dossiers', '/dashboard', '/flags', '/flags/:id', '/search', '/search/page', '/users', '/keys', '/speakers', '/audit'] as const;

/**
 * Fonts that cover Latin with Azerbaijani letters, Cyrillic and Armenian, from the Debian
 * packages fonts-dejavu-core and fonts-noto-core, so a reviewer's browser need not have them.
 * A fixed list: nothing else on the disk is reachable through this route.
 */
const FONT_DIRS = ['/usr/share/fonts/truetype/noto', '/usr/share/fonts/truetype/dejavu'];
const FONTS = new Set(['NotoSans-Regular.ttf', 'NotoSans-Bold.ttf', 'NotoSansArmenian-Regular.ttf', 'NotoSansArmenian-Bold.ttf', 'DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSansMono.ttf']);

export function webRoutes(): Router {
  const router = Router();
  const dir = publicDir();
  const shell = path.join(dir, 'index.html');

  router.get('/assets/fonts/:name', (req, res, next) => {
    const name = req.params.name;
    if (!FONTS.has(name)) return next();
    const file = FONT_DIRS.map((d) => path.join(d, name)).find((f) => fs.existsSync(f));
    if (!file) return next();
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('font/ttf').sendFile(file);
  });
  router.use('/assets', express.static(dir, { index: false, fallthrough: true, maxAge: 0, dotfiles: 'ignore' }));

  for (const screen of WEB_SCREENS) {
    router.get(screen, (_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.sendFile(shell);
    });
  }
  return router;
}
