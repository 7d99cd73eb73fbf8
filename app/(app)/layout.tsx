import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { countInbox } from "@/lib/inbox";
import { MainNav, type NavItem } from "@/components/main-nav";
import { SignOutButton } from "@/components/sign-out-button";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  // One statement for both figures: the review queue's and the whole inbox's.
  const counts = await countInbox(user);
  const awaiting = counts.review;
  // One list of links: a new page adds one line here.
  const nav: NavItem[] = [
    { href: "/", label: "Dashboard" },
    {
      href: "/inbox",
      label: "Inbox",
      badge:
        counts.total > 0 ? (
          <span
            className="ml-1.5 rounded-full bg-amber-700 px-1.5 text-xs text-white tabular-nums"
            data-testid="inbox-count"
            aria-label={`${counts.total} in your inbox`}
          >
            {counts.total}
          </span>
        ) : null,
    },
    { href: "/repositories", label: "Repositories" },
    { href: "/specs", label: "Specs" },
    { href: "/findings", label: "Findings" },
    { href: "/duplicates", label: "Duplicates" },
    { href: "/runs", label: "Runs" },
    { href: "/deployments", label: "Deployments" },
    {
      href: "/changes",
      label: "Reviews",
      badge:
        awaiting > 0 ? (
          <span
            className="ml-1.5 rounded-full bg-sky-700 px-1.5 text-xs text-white tabular-nums"
            data-testid="review-count"
            aria-label={`${awaiting} awaiting your review`}
          >
            {awaiting}
          </span>
        ) : null,
    },
    { href: "/settings", label: "Settings" },
  ];
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm"
      >
        Skip to content
      </a>
      <header className="bg-slate-900">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/" className="font-semibold text-white">
            Spec<span className="text-sky-400">ledger</span>
          </Link>
          <MainNav items={nav}>
            <span className="text-sm text-slate-300" data-testid="current-user">
              {user.name} <span className="text-slate-400">({user.role})</span>
            </span>
            <SignOutButton />
          </MainNav>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-8">
        {children}
      </main>
    </div>
  );
}
