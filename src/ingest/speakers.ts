/** The speaker registry: who said the statements (for per-speaker dossiers); one record per name. */
import { Conflict, NotFound } from '../errors';
import { isDuplicateKeyError } from '../store/connection';
import type { PageOf, Pagination } from '../store/pagination';
import type { SpeakerRecord, SpeakerRepository } from '../store/people';

export type NewSpeaker = Omit<SpeakerRecord, '_id' | 'createdAt' | 'updatedAt'>;

export class SpeakerService {
  constructor(private readonly speakers: SpeakerRepository) {}

  /** Registers a speaker; a name registered already is a conflict (names are unique as written, NFC). */
  async register(speaker: NewSpeaker): Promise<SpeakerRecord> {
    try {
      return await this.speakers.insertSpeaker(speaker);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new Conflict('already_exists', `a speaker named "${speaker.name}" is already registered`);
      throw error;
    }
  }

  list(page: Pagination): Promise<PageOf<SpeakerRecord>> {
    return this.speakers.listSpeakers(page);
  }

  async get(id: string): Promise<SpeakerRecord> {
    const speaker = await this.speakers.findSpeaker(id);
    if (!speaker) throw new NotFound('speaker');
    return speaker;
  }
}
