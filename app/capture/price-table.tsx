import { DataTable } from '@/components/data-table';
import type { ModelPriceRow } from '@/db/queries/capture';
import { DeletePriceButton, PriceForm } from './capture-forms';

const usd = (n: number) => `$${n.toLocaleString('en-US', { maximumFractionDigits: 4 })}`;

/** The prices offloaded savings are priced with; admins add and delete them. */
export function PriceTable({ prices, admin }: { prices: ModelPriceRow[]; admin: boolean }) {
  return (
    <section className="mt-6" aria-labelledby="prices-heading">
      <h2 id="prices-heading" className="text-base font-semibold">
        Model prices
      </h2>
      <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">
        Per million tokens. A saving is priced with the longest model-name prefix in effect at its
        time; <code>*</code> prices any other model.
      </p>
      {admin ? <PriceForm /> : null}
      <DataTable
        testId="model-prices"
        rows={prices}
        rowKey={(price) => price.id}
        rowAttributes={(price) => ({ 'data-model': price.modelPrefix })}
        empty="No prices."
        columns={[
          { header: 'Model', className: 'font-mono text-xs', cell: (price) => price.modelPrefix },
          { header: 'From', cell: (price) => price.effectiveFrom },
          { header: 'Input', align: 'right', cell: (price) => usd(price.inputUsdPerMtok) },
          { header: 'Output', align: 'right', cell: (price) => usd(price.outputUsdPerMtok) },
          { header: 'Note', className: 'text-xs', cell: (price) => price.note ?? '' },
          ...(admin
            ? [
                {
                  header: 'Actions',
                  cell: (price: ModelPriceRow) => (
                    <DeletePriceButton
                      id={price.id}
                      label={`${price.modelPrefix} from ${price.effectiveFrom}`}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
    </section>
  );
}
