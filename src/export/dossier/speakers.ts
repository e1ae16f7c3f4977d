/**
 * The per-speaker part of a dossier: statements grouped by who said them, with the positions
 * they held (from the speaker registry when the speaker is registered).
 */
import type { SpeakerRecord } from '../../store/people';
import type { DossierItem, DossierSpeaker } from './data';
import { namesOf, type EvidenceItem } from './source';

/**
 * Speakers of statements. A statement's recorded speaker name is matched against the registry
 * (name in original script, transliterations, aliases); registered speakers bring their
 * positions. Unregistered names are grouped as recorded, with positions derived from the
 * statements (dated by the first and last statement in each position).
 */
export function speakersOf(items: DossierItem[], docs: Map<string, EvidenceItem['document']>, registry: SpeakerRecord[]): DossierSpeaker[] {
  const out = new Map<string, DossierSpeaker>();
  for (const item of items) {
    const st = docs.get(item.documentId)!.statement;
    if (!st?.speaker) continue;
    const known = registry.find((r) => namesOf(r).includes(st.speaker!));
    const key = known ? `id:${String(known._id)}` : `name:${st.speaker}`;
    let speaker = out.get(key);
    if (!speaker) {
      speaker = known
        ? {
            name: known.name,
            transliterations: [...(known.transliterations ?? [])],
            aliases: [...(known.aliases ?? [])],
            registered: true,
            positions: (known.positions ?? []).map((p) => ({ title: p.title, institution: p.institution ?? null, from: p.from ?? null, to: p.to ?? null })),
            statements: [],
          }
        : { name: st.speaker, transliterations: [], aliases: [], registered: false, positions: [], statements: [] };
      out.set(key, speaker);
    }
    speaker.statements.push({ itemId: item.itemId, date: st.date ?? null, position: st.position ?? null, venue: st.venue ?? null, sourceUrl: st.sourceUrl ?? null, sha256: item.sourceSha256 });
    if (!speaker.registered && st.position) {
      let pos = speaker.positions.find((p) => p.title === st.position);
      if (!pos) speaker.positions.push((pos = { title: st.position, institution: null, from: st.date ?? null, to: st.date ?? null }));
      if (st.date && (!pos.from || st.date < pos.from)) pos.from = st.date;
      if (st.date && (!pos.to || st.date > pos.to)) pos.to = st.date;
    }
  }
  for (const s of out.values()) s.statements.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}
