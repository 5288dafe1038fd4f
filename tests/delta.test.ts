import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Delta } from '@/components/delta';

const shown = (props: Parameters<typeof Delta>[0]) =>
  renderToStaticMarkup(createElement(Delta, props));

describe('the change against the previous period', () => {
  it('is neutral when it rounds to zero, never a red −0.0 %', () => {
    const tiny = shown({ current: 99_999, previous: 100_000, periodLabel: 'previous 24 hours' });
    expect(tiny).toContain('+0.0%');
    expect(tiny).toContain('text-slate-500');
    expect(tiny).not.toContain('▼');
    const points = shown({ current: 0.8, previous: 0.80004, kind: 'points', periodLabel: 'x' });
    expect(points).toContain('+0.0 pts');
    expect(points).not.toContain('rose');
  });

  it('is red with a falling arrow, and green with a rising one, once it shows', () => {
    const fall = shown({ current: 90, previous: 100, periodLabel: 'x' });
    expect(fall).toMatch(/▼.*−10\.0%/);
    expect(fall).toContain('text-rose-700');
    const rise = shown({ current: 0.9, previous: 0.8, kind: 'points', periodLabel: 'x' });
    expect(rise).toMatch(/▲.*\+10\.0 pts/);
    expect(rise).toContain('text-emerald-700');
  });
});
