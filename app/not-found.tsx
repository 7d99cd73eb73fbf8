import Link from "next/link";

export default function NotFound() {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center gap-2">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-slate-600">There is nothing here, or you cannot see it.</p>
      <Link href="/" className="text-sky-700 hover:underline">
        Back to the dashboard
      </Link>
    </div>
  );
}
