import { describe, expect, it } from '@jest/globals';
import { escapeHtml, html, join, SafeHtml } from './html.js';

describe('the html tag', () => {
  it('escapes the five characters that can end a text or an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapes every interpolated value, in text and in attributes, and keeps its own fragments', () => {
    const name = '<script>alert("x")</script> & Co';
    const cell = html`<td title="${name}">${name}</td>`;
    expect(cell).toBeInstanceOf(SafeHtml);
    expect(cell.value).toBe(
      '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</td>',
    );
    expect(html`<tr>${cell}</tr>`.value).toBe(`<tr>${cell.value}</tr>`);
  });

  it('joins lists, drops null, undefined and false, and prints numbers and true', () => {
    expect(html`${['<a>', html`<b>`, 3]}|${null}${undefined}${false}|${0}${true}`.value).toBe('&lt;a&gt;<b>3||0true');
    expect(join(['a&b', html`<i>c</i>`], ' & ').value).toBe('a&amp;b &amp; <i>c</i>');
  });

  it('does not take a string that looks like a fragment for one', () => {
    const forged = { value: '<script>' };
    expect(html`${forged}`.value).toBe('[object Object]');
    expect(html`${'<script>'}`.value).toBe('&lt;script&gt;');
  });
});
