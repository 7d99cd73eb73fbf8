import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Age, formatDate, RelativeTime } from "./ui";

// One writer's odd stored time (year 0000 read back as an Invalid Date) must never break a
// page for everyone else (issue 12 §10: the deployments page answered 500).
describe("dates on pages", () => {
  it("formats a time in UTC to the minute", () => {
    expect(formatDate(new Date("2026-11-24T10:05:59Z"))).toBe("2026-11-24 10:05 UTC");
  });

  it("renders a time JavaScript cannot represent instead of throwing", () => {
    const invalid = new Date("0000-00-00");
    expect(Number.isNaN(invalid.getTime())).toBe(true);
    expect(formatDate(invalid)).toBe("unknown time");
    expect(renderToStaticMarkup(<RelativeTime date={invalid} />)).toContain("unknown time");
    expect(() => renderToStaticMarkup(<Age date={invalid} />)).not.toThrow();
  });
});
