export const THEME_STORAGE_KEY = 'pattern-ledger-theme';
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/**
 * Runs in <head> before the first paint, so a stored or system dark theme never flashes light.
 * Kept as a string because it must run before React loads.
 */
export const themeBootScript = `(function(){try{var c=localStorage.getItem('${THEME_STORAGE_KEY}');var d=c==='dark'||(c!=='light'&&window.matchMedia('(prefers-color-scheme: dark)').matches);document.documentElement.classList.toggle('dark',d);document.documentElement.dataset.theme=c||'system';}catch(e){}})();`;
