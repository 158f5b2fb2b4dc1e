import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_SITE_NAVIGATION,
  findNavigationEnd,
  learnSiteNavigation,
} from '../../../src/core/parse/siteNavigation.js';
import { NAVIGATION, SHIPPED_RAW, page } from '../../fixtures/pages.js';

const shipped = readdirSync(SHIPPED_RAW).map((f) => readFileSync(path.join(SHIPPED_RAW, f), 'utf8'));
const navLines = NAVIGATION.split('\n');

describe('siteNavigation', () => {
  describe('learnSiteNavigation', () => {
    it('learns from the shipped corpus exactly the built-in model', () => {
      expect(learnSiteNavigation(shipped)).toEqual(BUILTIN_SITE_NAVIGATION);
    });

    it('learns a different navigation when the corpus carries one', () => {
      const nav = ['Home', 'News', 'Press Room'];
      const pages = ['First Title', 'Second Title', 'Third Title', 'Fourth Title'].map((t) =>
        [...nav, t, `${t} body text.`].join('\n'),
      );
      expect(learnSiteNavigation(pages)).toEqual(['home', 'news', 'press room']);
    });

    it('learns nothing from fewer than three pages or pages that share no top', () => {
      expect(learnSiteNavigation(shipped.slice(0, 2))).toEqual([]);
      expect(learnSiteNavigation(['a\nb', 'c\nd', 'e\nf'])).toEqual([]);
    });
  });

  describe('findNavigationEnd', () => {
    it('finds the end of the shipped navigation (22 lines)', () => {
      expect(findNavigationEnd(page('Title', 'Text').split('\n'), BUILTIN_SITE_NAVIGATION)).toBe(22);
    });

    it('tolerates a nav item added to the site', () => {
      const lines = [
        ...navLines.slice(0, 10),
        'Media Centre',
        'Media Centre',
        ...navLines.slice(10),
        'Title',
      ];
      expect(lines[findNavigationEnd(lines, BUILTIN_SITE_NAVIGATION)]).toBe('Title');
    });

    it('tolerates a nav item dropped from the site', () => {
      const lines = [...navLines.filter((l) => l !== 'Partnerships'), 'Title'];
      expect(lines[findNavigationEnd(lines, BUILTIN_SITE_NAVIGATION)]).toBe('Title');
    });

    it('leaves a page without navigation untouched', () => {
      expect(findNavigationEnd(['Title', 'Text.'], BUILTIN_SITE_NAVIGATION)).toBe(0);
    });
  });
});
