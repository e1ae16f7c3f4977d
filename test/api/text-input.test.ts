/**
 * Text people type is kept exactly as typed or refused with the reason, never garbled: control
 * characters (NUL, ESC, the bidirectional overrides…) are refused in metadata and every JSON
 * body, naming the field and the character; file names from browsers arrive as UTF-8 and are
 * stored as such; the marks right-to-left scripts need are kept.
 */
import { apiKeyHeaders, startTestService, withHeaders, type TestService } from '../support/service';

let service: TestService;
let analyst: ReturnType<typeof withHeaders>;
let admin: ReturnType<typeof withHeaders>;
beforeAll(async () => {
  service = await startTestService({ runner: { enabled: false } });
  analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  admin = withHeaders(service.app, await apiKeyHeaders(service, ['admin']));
});
afterAll(async () => {
  await service.dispose();
});

let counter = 0;
function upload(title: string, filename = 'statement.txt') {
  counter += 1;
  return analyst.post('/api/documents').field('kind', 'statement').field('title', title).attach('file', Buffer.from(`The Merenites gathered at the river, note ${counter}.\n`), filename);
}

describe('control characters', () => {
  it.each([
    ['NUL', 'Speech\u0000 at Ormund', /U\+0000 \(NUL\)/],
    ['ESC', 'Speech \u001b[31mat Ormund', /U\+001B \(ESCAPE\)/],
    ['RLO', 'Speech at Ormund \u202Efdp.exe', /U\+202E \(RIGHT-TO-LEFT OVERRIDE\)/],
    ['a C1 control', 'Speech\u0085 at Ormund', /U\+0085 \(a C1 control\)/],
    ['an isolate', 'Speech \u2067at Ormund', /U\+2067/],
  ])('refuses %s in an uploaded title, naming it', async (_label, title, message) => {
    const res = await upload(title).expect(400);
    expect(res.body.error.code).toBe('invalid_metadata');
    expect(res.body.error.details).toEqual([{ field: 'title', message: expect.stringMatching(message) }]);
  });

  it('refuses them in a metadata edit, a withdrawal reason, a display name and a lexicon entry; nothing is stored', async () => {
    const doc = (await upload('Speech at Ormund (synthetic)').expect(202)).body.document;
    const edit = await analyst.patch(`/api/documents/${doc.id}`).send({ title: 'Speech at Ormund\u001b', reason: 'typo' }).expect(400);
    expect(edit.body.error.code).toBe('invalid_metadata');
    expect(edit.body.error.details).toEqual([{ field: 'title', message: expect.stringMatching(/ESCAPE/) }]);
    expect((await analyst.get(`/api/documents/${doc.id}`).expect(200)).body.document.title).toBe('Speech at Ormund (synthetic)');

    const user = await admin.post('/api/users').send({ username: 'rlo-person', displayName: 'Ann \u202Enamrevo', password: 'rivers of the tarvani valley', roles: ['viewer'] }).expect(400);
    expect(user.body.error).toMatchObject({ code: 'invalid_request', details: [{ field: 'displayName', message: expect.stringMatching(/RIGHT-TO-LEFT OVERRIDE/) }] });
    const withdraw = await analyst.post(`/api/documents/${doc.id}/withdraw`).send({ reason: 'wrong file\u0000' }).expect(400);
    expect(withdraw.body.error.details[0].field).toBe('reason');
    const entry = await admin.post('/api/lexicon/entries').send({
      id: 'en.test.ctl', lang: 'en', role: 'predicate', terms: ['siege'], category: 'VI.THREAT', severity: 2,
      meaning: 'test\u0007', whyHarmful: 'test', source: { type: 'curator', ref: 'x\u202Dy' },
    }).expect(400);
    expect(entry.body.error.details.map((d: { field: string }) => d.field)).toEqual(['meaning', 'source.ref']);
    expect(await service.db.models.User.countDocuments({ username: 'rlo-person' })).toBe(0);
  });

  it('keeps tabs, line breaks, right-to-left marks and joiners', async () => {
    const title = 'خطاب\u200F في أورموند — Ормунд\tSpeech';
    const doc = (await upload(title).expect(202)).body.document;
    expect(doc.title).toBe(title);
    const reason = 'first line\nsecond line, with a zero-width non-joiner: می\u200Cخواهم';
    await analyst.post(`/api/documents/${doc.id}/withdraw`).send({ reason }).expect(200);
    expect((await analyst.get(`/api/documents/${doc.id}`).expect(200)).body.document.withdrawal.reason).toBe(reason);
  });

  it('cleans a file name of control characters rather than refusing the upload', async () => {
    const doc = (await upload('Speech with an odd file name', 'report\u202Etxt.exe.txt').expect(202)).body.document;
    expect(doc.original.filename).toBe('reporttxt.exe.txt');
  });
});

describe('file names', () => {
  it('are read as UTF-8, as browsers send them', async () => {
    const doc = (await upload('Textbook extract (synthetic)', 'учебник-история.txt').expect(202)).body.document;
    expect(doc.original.filename).toBe('учебник-история.txt');
    const stored = await service.db.models.Document.findById(doc.id).lean();
    expect(stored!.original.filename).toBe('учебник-история.txt');
  });
});
