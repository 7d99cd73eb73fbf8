import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { countInbox } from "@/lib/inbox";
import { NavLink } from "@/components/nav-link";
import { SignOutButton } from "@/components/sign-out-button";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  // One statement for both figures: the review queue's and the whole inbox's.
  const counts = await countInbox(user);
  const awaiting = counts.review;
  return (
    <div className="min-h-screen">
      <header className="bg-slate-900">
        <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3">
          <Link href="/" className="font-semibold text-white">
            Spec<span className="text-sky-400">ledger</span>
          </Link>
          <nav className="flex gap-1" aria-label="Main">
            <NavLink href="/">Dashboard</NavLink>
            <NavLink href="/inbox">
              Inbox
              {counts.total > 0 ? (
                <span
                  className="ml-1.5 rounded-full bg-amber-500 px-1.5 text-xs text-white tabular-nums"
                  data-testid="inbox-count"
                  aria-label={`${counts.total} in your inbox`}
                >
                  {counts.total}
                </span>
              ) : null}
            </NavLink>
            <NavLink href="/repositories">Repositories</NavLink>
            <NavLink href="/specs">Specs</NavLink>
            <NavLink href="/findings">Findings</NavLink>
            <NavLink href="/duplicates">Duplicates</NavLink>
            <NavLink href="/runs">Runs</NavLink>
            <NavLink href="/deployments">Deployments</NavLink>
            <NavLink href="/changes">
              Reviews
              {awaiting > 0 ? (
                <span
                  className="ml-1.5 rounded-full bg-sky-500 px-1.5 text-xs text-white tabular-nums"
                  data-testid="review-count"
                  aria-label={`${awaiting} awaiting your review`}
                >
                  {awaiting}
                </span>
              ) : null}
            </NavLink>
            <NavLink href="/settings">Settings</NavLink>
          </nav>
          <div className="ml-auto flex items-center gap-4">
            <span className="text-sm text-slate-300" data-testid="current-user">
              {user.name} <span className="text-slate-500">({user.role})</span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-8">{children}</main>
    </div>
  );
}
