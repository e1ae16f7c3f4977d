/** Primary language subtag of a BCP-47 tag: az-Latn, az-Cyrl → az; EN → en. */
export function baseLang(lang: string): string {
  return lang.trim().toLowerCase().split(/[-_]/u)[0] ?? '';
}
