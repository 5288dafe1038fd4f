'use client';

import { themeBootScript } from './theme';

/**
 * The theme's boot script, in the server's HTML only: the browser runs it there, before the first
 * paint. On the client it renders nothing, since React never runs a script it creates (and says so
 * in the console when a page such as a 404 renders the layout on the client).
 */
export function ThemeScript({ nonce }: { nonce: string | undefined }) {
  if (typeof window !== 'undefined') return null;
  return <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeBootScript }} />;
}
