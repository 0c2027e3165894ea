// Names and URLs wrap where a reader expects (after _ . /), not mid-word (issue 12:
// "Exchange_Online_Credentials_clien / tCred", "https://graph.micros / oft.us").
import { describe, expect, it } from 'vitest';

/** The markup without Svelte's hydration comments. */
const html = (el: Element | undefined) => (el?.innerHTML ?? '').replace(/<!---->/g, '');
import { render, screen } from '@testing-library/svelte';
import { plan } from './fixtures';
import { breakParts } from '../../src/renderer/src/lib/break-at';
import PlanDiff from '../../src/renderer/src/components/PlanDiff.svelte';

describe('break points in long names', () => {
  it('splits after _ . and / only, keeping every character', () => {
    expect(breakParts('Exchange_Online_Credentials_clientCred')).toEqual([
      'Exchange_',
      'Online_',
      'Credentials_',
      'clientCred',
    ]);
    expect(breakParts('https://graph.microsoft.us')).toEqual(['https:/', '/', 'graph.', 'microsoft.', 'us']);
    expect(breakParts('plain')).toEqual(['plain']);
    expect(breakParts('')).toEqual([]);
  });

  it('the review offers a break after each _ in a record name and each . / in a value, and reads the same', () => {
    const { container } = render(PlanDiff, { plan: plan() });
    const article = screen.getByRole('article', { name: 'Connection Exchange_Online_Connection' });
    const title = article.querySelector('h4')!;
    expect(html(title)).toContain('Exchange_<wbr>Online_<wbr>Connection');
    expect(title).toHaveTextContent('Exchange_Online_Connection');
    const url = [...container.querySelectorAll('dd')].find((dd) => dd.textContent?.includes('graph.'));
    expect(html(url)).toContain('graph.<wbr>microsoft.<wbr>com');
  });
});
