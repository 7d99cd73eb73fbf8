import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { NavLink } from "@/components/nav-link";

/** The settings pages share one set of tabs; each page still checks its own permission. */
export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <div>
      <nav className="mb-6 flex flex-wrap gap-1 rounded-lg bg-slate-800 p-1" aria-label="Settings">
        {can(user.role, "teams:manage") ? <NavLink href="/settings/teams">Teams and people</NavLink> : null}
        {can(user.role, "policies:manage") ? <NavLink href="/settings/ownership">Ownership and policies</NavLink> : null}
        {can(user.role, "policies:manage") ? <NavLink href="/settings/findings">Findings rules</NavLink> : null}
        {can(user.role, "policies:manage") ? <NavLink href="/settings/runs">Runs and tickets</NavLink> : null}
        {can(user.role, "audit:read") ? <NavLink href="/settings/audit">Audit log</NavLink> : null}
        {can(user.role, "notifications:manage") ? <NavLink href="/settings/notifications">Notifications</NavLink> : null}
        <NavLink href="/settings/tokens">API tokens</NavLink>
        <NavLink href="/settings/emails">Your emails</NavLink>
      </nav>
      {children}
    </div>
  );
}
