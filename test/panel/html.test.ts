import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '../../src/panel/views/html.js';

describe('panel html', () => {
  describe('html', () => {
    it.each([
      ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
      ['" onmouseover="x', '&quot; onmouseover=&quot;x'],
      ["' autofocus onfocus='x", '&#39; autofocus onfocus=&#39;x'],
      ['&amp; stays text', '&amp;amp; stays text'],
      ['`${x}`', '&#96;${x}&#96;'],
    ])('escapes %s in text and attributes', (hostile, escaped) => {
      expect(html`<a title="${hostile}">${hostile}</a>`.text).toBe(`<a title="${escaped}">${escaped}</a>`);
      expect(escapeHtml(hostile)).toBe(escaped);
    });

    it('keeps nested html, joins arrays and drops null, undefined and false', () => {
      const items = ['<b>', 'c'].map((x) => html`<li>${x}</li>`);
      const absent = [null, undefined, false];
      // Not named `html`: prettier would format the literal as HTML and add whitespace.
      const tag = html;
      expect(tag`<ul>${items}</ul>${absent}${0}`.text).toBe('<ul><li>&lt;b&gt;</li><li>c</li></ul>0');
    });
  });
});
