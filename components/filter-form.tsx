'use client';

import Form from 'next/form';
import type { ComponentProps } from 'react';

/**
 * A GET form (next/form: client-side navigation) that leaves its empty fields out of the URL, so
 * "All statuses" gives no `status=` parameter.
 */
export function FilterForm(props: Omit<ComponentProps<typeof Form>, 'onSubmit'>) {
  return (
    <Form
      {...props}
      onSubmit={(event) => {
        const empty = [...event.currentTarget.elements].filter(
          (element): element is HTMLInputElement | HTMLSelectElement =>
            (element instanceof HTMLInputElement || element instanceof HTMLSelectElement) &&
            element.name !== '' &&
            element.value === '' &&
            !element.disabled,
        );
        // Disabled fields are not sent; they are enabled again once the form has been read.
        for (const element of empty) element.disabled = true;
        setTimeout(() => {
          for (const element of empty) element.disabled = false;
        });
      }}
    />
  );
}
