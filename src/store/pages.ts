/**
 * The pages repository: versions of each page's text (a re-read adds a version, never rewrites
 * one). Records from before page versions count as version 1.
 */
import { Types } from 'mongoose';
import type { FlagRecord, Models, PageRecord } from './models';

export { PAGE_METHODS } from './models';
export type { PageMethod, PageRecord, WordBoxRecord } from './models';

export type PageVersionSummary = Pick<PageRecord, 'version' | 'textSha256' | 'method' | 'ocr' | 'createdAt'>;

export class PageRepository {
  constructor(private readonly models: Pick<Models, 'Page'>) {}

  /** One page: the given version, else the current one (the newest version of the index). */
  findPage(documentId: string, index: number, version?: number): Promise<PageRecord | null> {
    const document = new Types.ObjectId(documentId);
    if (version !== undefined) return this.models.Page.findOne({ document, index, version }).lean<PageRecord>();
    return this.models.Page.findOne({ document, index }).sort({ version: -1 }).lean<PageRecord>();
  }

  /** Every stored version of a page, oldest first (text not included). */
  listPageVersions(documentId: string, index: number): Promise<PageVersionSummary[]> {
    return this.models.Page.find({ document: new Types.ObjectId(documentId), index }, { version: 1, textSha256: 1, method: 1, ocr: 1, createdAt: 1 })
      .sort({ version: 1 })
      .lean<PageVersionSummary[]>();
  }

  /** How many current pages there are (one per page of every document). */
  countCurrentPages(): Promise<number> {
    return this.models.Page.countDocuments({ current: { $ne: false } });
  }

  /** The text a flag's offsets index into: its own page version (older flags: version 1). */
  pageOfFlag(flag: Pick<FlagRecord, 'document' | 'page' | 'pageVersion'>): Promise<PageRecord | null> {
    return this.models.Page.findOne({ document: flag.document, index: flag.page, version: flag.pageVersion ?? 1 }).lean<PageRecord>();
  }
}
