"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";

export type NavItem = { href: string; label: string; badge?: ReactNode };

const isActive = (href: string, pathname: string) => (href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`));

/**
 * The main navigation: a row of links on wide screens, a menu button that opens them as a
 * list on narrow ones (closed again by choosing a page).
 */
export function MainNav({ items, children }: { items: NavItem[]; children?: ReactNode }) {
  const pathname = usePathname();
  // Open for the page it was opened on only, so following a link closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  return (
    <>
      <button
        type="button"
        className="ml-auto rounded-md px-3 py-1.5 text-sm font-medium text-slate-200 hover:bg-slate-800 md:hidden"
        aria-expanded={open}
        aria-controls="main-nav"
        onClick={() => setOpenOn(open ? null : pathname)}
      >
        {open ? "Close menu" : "Menu"}
      </button>
      <nav
        id="main-nav"
        aria-label="Main"
        className={`${open ? "flex" : "hidden"} w-full flex-col gap-1 md:flex md:w-auto md:flex-1 md:flex-row md:flex-wrap md:items-center`}
      >
        {items.map((item) => {
          const active = isActive(item.href, pathname);
          return (
            <Link
              key={item.href}
              href={item.href}
              aria-current={active ? "page" : undefined}
              className={`rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-slate-700 text-white" : "text-slate-300 hover:bg-slate-800 hover:text-white"}`}
            >
              {item.label}
              {item.badge}
            </Link>
          );
        })}
        <div className="mt-2 flex items-center gap-4 border-t border-slate-700 pt-2 md:mt-0 md:ml-auto md:border-0 md:pt-0">{children}</div>
      </nav>
    </>
  );
}
