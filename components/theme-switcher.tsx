'use client';

import { useEffect, useState } from 'react';
import { THEME_CHOICES, THEME_STORAGE_KEY, type ThemeChoice } from './theme';

const labels: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

function applyTheme(choice: ThemeChoice) {
  const dark =
    choice === 'dark' ||
    (choice === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
  document.documentElement.dataset.theme = choice;
}

function storedChoice(): ThemeChoice {
  const value = typeof window === 'undefined' ? null : localStorage.getItem(THEME_STORAGE_KEY);
  return THEME_CHOICES.find((choice) => choice === value) ?? 'system';
}

/** System / light / dark, remembered in localStorage; "system" follows the OS as it changes. */
export function ThemeSwitcher() {
  const [choice, setChoice] = useState<ThemeChoice>('system');

  useEffect(() => {
    // The boot script already applied the stored theme; mirror it in the control after hydration.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setChoice(storedChoice());
  }, []);

  useEffect(() => {
    if (choice !== 'system') return;
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = () => applyTheme('system');
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, [choice]);

  function choose(next: ThemeChoice) {
    setChoice(next);
    if (next === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, next);
    applyTheme(next);
  }

  // A radio group: one Tab stop (the checked option); the arrow keys move and choose.
  function onArrow(event: React.KeyboardEvent<HTMLDivElement>) {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    const at = THEME_CHOICES.indexOf(choice);
    const next = THEME_CHOICES[(at + step + THEME_CHOICES.length) % THEME_CHOICES.length]!;
    choose(next);
    event.currentTarget.querySelector<HTMLButtonElement>(`[data-choice="${next}"]`)?.focus();
  }

  return (
    <div
      onKeyDown={onArrow}
      role="radiogroup"
      aria-label="Colour theme"
      className="inline-flex rounded-md border border-slate-300 p-0.5 text-xs dark:border-slate-700"
    >
      {THEME_CHOICES.map((option) => (
        <button
          key={option}
          type="button"
          role="radio"
          data-choice={option}
          aria-checked={choice === option}
          tabIndex={choice === option ? 0 : -1}
          onClick={() => choose(option)}
          // The checked option is dark on a light page: its ring is offset and dark enough to see.
          className={`rounded px-2 py-1 transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700 dark:focus-visible:outline-sky-300 ${
            choice === option
              ? 'bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900'
              : 'text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800'
          }`}
        >
          {labels[option]}
        </button>
      ))}
    </div>
  );
}
