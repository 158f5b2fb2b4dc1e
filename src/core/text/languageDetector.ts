/**
 * The language detector: eld (Efficient Language Detector), its "small" n-gram database, imported
 * on first use only (loading it takes about a second; searching never needs it). Chosen over
 * tinyld on our real samples (bench/languageDetection.ts): more accurate on sentences and on three
 * words, and its `isReliable()` says when a text is too short or mixed to tell.
 */
import type { LanguageDetector } from './detect.js';

interface EldResult {
  readonly language: string;
  isReliable(): boolean;
}

let loading: Promise<LanguageDetector> | undefined;

/** The detector, loaded once per process. */
export function loadLanguageDetector(): Promise<LanguageDetector> {
  loading ??= import('eld/small').then(({ eld }) => {
    return (text: string) => {
      const result = eld.detect(text) as EldResult;
      return { language: result.language, reliable: result.language !== '' && result.isReliable() };
    };
  });
  return loading;
}
