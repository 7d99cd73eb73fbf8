import Link from "next/link";
import type { ReactNode } from "react";

/** Previous and next links under a paged list; `href` builds a page's address with the list's filters kept. */
export function PageLinks({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  return (
    <span className="flex gap-3">
      {page > 1 ? (
        <Link href={href(page - 1)} className="text-sky-700 hover:underline">
          ← Previous
        </Link>
      ) : null}
      {page < pages ? (
        <Link href={href(page + 1)} className="text-sky-700 hover:underline">
          Next →
        </Link>
      ) : null}
    </span>
  );
}

/**
 * The footer of a paged list: how many rows the list has (under `testId`, the figure the
 * dashboard's cards link to), the page, and the previous and next links.
 */
export function ListFooter({ count, testId, ...links }: { count: ReactNode; testId: string; page: number; pages: number; href: (page: number) => string }) {
  return (
    <div className="flex items-center justify-between border-t border-slate-200 px-4 py-2 text-sm text-slate-600">
      <span>
        <span data-testid={testId}>{count}</span> · page {links.page} of {links.pages}
      </span>
      <PageLinks {...links} />
    </div>
  );
}
