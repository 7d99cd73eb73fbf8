import Link from "next/link";

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
