'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useId, useState, type ReactNode } from 'react';

/**
 * The header's navigation and controls: in line from the `md` width up; below it behind a Menu
 * button, so on a phone the header is one row and the page starts near the top.
 */
export function CollapsibleNav({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const id = useId();
  // A link followed closes the menu: on the click (a link to the page already shown changes no
  // pathname), and when the pathname changes (back and forward).
  // eslint-disable-next-line react-hooks/set-state-in-effect
  useEffect(() => setOpen(false), [pathname]);
  return (
    <>
      <button
        type="button"
        className="button-outline ml-auto px-2 text-sm md:hidden"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((now) => !now)}
      >
        Menu
      </button>
      <div
        id={id}
        data-testid="header-menu"
        onClick={(event) => {
          if ((event.target as Element).closest('a')) setOpen(false);
        }}
        className={`${open ? 'flex' : 'hidden'} w-full flex-col items-start gap-3 md:flex md:w-auto md:flex-1 md:flex-row md:items-center md:gap-6`}
      >
        {children}
      </div>
    </>
  );
}
