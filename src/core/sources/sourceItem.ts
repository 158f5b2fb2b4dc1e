/**
 * One item as a connector read it (a feed entry, an IOM card and its page, a ReliefWeb report),
 * before it becomes a record. Every string has already been through the hostile-text sanitizer.
 */
export interface SourceItem {
  /** The id of the source in sources.json. */
  readonly sourceId: string;
  /** The source's own stable id for the item (RSS guid, Atom id, JSON Feed id, ReliefWeb id), if any. */
  readonly guid: string | null;
  /** The item's link, absolute (not yet canonical), or null when it had none. */
  readonly url: string | null;
  /** Every other address the item was seen under (ReliefWeb's `url_alias`, the page after redirects). */
  readonly alternateUrls: readonly string[];
  readonly title: string;
  /** ISO 8601, or null when the source gave no usable date. Future dates are kept as given. */
  readonly publishedAt: string | null;
  readonly updatedAt: string | null;
  /** A short plain-text summary, if the source gave one. */
  readonly summary: string | null;
  /**
   * The body as plain text, one paragraph (or one project field line) per line, in the form of the
   * scraped pages after their title: dateline, paragraphs, contact block. May be empty.
   */
  readonly text: string;
  /** The kind of page, when the source says (IOM's card tag, e.g. "Press Release", "Project"). */
  readonly tag: string | null;
  /** A country the source names (ReliefWeb's primary country), used when the text has no dateline. */
  readonly country: string | null;
  /**
   * The language the publisher declares for the item or its feed (RSS `<language>`, `dc:language`,
   * Atom `xml:lang`, the page's `<html lang>` or `og:locale`, ReliefWeb's `language`), as given;
   * absent or null when it declares none.
   */
  readonly language?: string | null;
  /**
   * Other language versions the publisher links (an IOM page's `<link rel="alternate" hreflang>`),
   * as given: language and absolute address. Absent when it links none.
   */
  readonly translations?: readonly { readonly language: string; readonly url: string }[];
}
