/** Dossiers through the API, as a client uses them: request one, wait until it is built, download its package. */
import fs from 'node:fs';
import type request from 'supertest';
import { until } from './until';

interface Api {
  get(url: string): request.Test;
  post(url: string): request.Test;
}

/** Requests a dossier, waits for its build (a failed build throws) and writes the package to `zipFile`. */
export async function builtDossier(api: Api, body: Record<string, unknown>, zipFile: string): Promise<Record<string, any>> {
  const res = await api.post('/api/dossiers').send(body).expect(202);
  const id = res.body.dossier.id as string;
  const dossier = await until('the dossier built', async () => {
    const d = (await api.get(`/api/dossiers/${id}`).expect(200)).body.dossier as Record<string, any>;
    return ['done', 'failed'].includes(d.status as string) && d;
  }, 120_000);
  if (dossier.status !== 'done') throw new Error(`dossier ${id} ${String(dossier.status)}: ${JSON.stringify(dossier.failure)}`);
  const zip = await api
    .get(`/api/dossiers/${id}/download`)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(200);
  fs.writeFileSync(zipFile, zip.body as Buffer);
  return dossier;
}
