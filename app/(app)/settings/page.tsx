import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";

/** Settings open on the first tab the user may see. */
export default async function SettingsPage() {
  const user = await requireUser();
  redirect(can(user.role, "teams:manage") ? "/settings/teams" : "/settings/tokens");
}
