"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

type Point = { week: string; specs: number; openFindings: number };

const AXIS_LABEL = { fontSize: 11, fill: "#475569" };

/** Specs and open findings per week, each on its own axis (their scales differ by orders of magnitude). */
export function TrendChart({ points }: { points: Point[] }) {
  const last = points.at(-1);
  return (
    <figure className="w-full" data-testid="trend-chart">
      <div
        className="h-72 w-full"
        role="img"
        aria-label={`Weekly trend: number of specs (left axis) and open findings (right axis) per week${last ? `; in the week of ${last.week}, ${last.specs} specs and ${last.openFindings} open findings` : ""}.`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 8, right: 8, bottom: 16, left: 8 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
            <XAxis
              dataKey="week"
              tick={{ fontSize: 11 }}
              tickFormatter={(w: string) => w.slice(5)}
              minTickGap={24}
              label={{ value: "Week starting (month-day)", position: "insideBottom", offset: -10, ...AXIS_LABEL }}
            />
            <YAxis
              yAxisId="specs"
              tick={{ fontSize: 11 }}
              allowDecimals={false}
              label={{ value: "Specs (count)", angle: -90, position: "insideLeft", style: { textAnchor: "middle" }, ...AXIS_LABEL }}
            />
            <YAxis
              yAxisId="findings"
              orientation="right"
              tick={{ fontSize: 11 }}
              allowDecimals={false}
              label={{ value: "Open findings (count)", angle: 90, position: "insideRight", style: { textAnchor: "middle" }, ...AXIS_LABEL }}
            />
            <Tooltip labelFormatter={(w) => `Week of ${w}`} />
            <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12 }} />
            <Line
              yAxisId="specs"
              type="monotone"
              dataKey="specs"
              name="Specs (left axis)"
              stroke="#0284c7"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
            <Line
              yAxisId="findings"
              type="monotone"
              dataKey="openFindings"
              name="Open findings (right axis)"
              stroke="#b45309"
              strokeWidth={2}
              strokeDasharray="6 3"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      {/* The chart is one image to assistive technology (its label gives the latest values), so it has no keyboard layer of its own. */}
      <figcaption className="sr-only">Specs exclude agent instruction files, like the Specs card.</figcaption>
    </figure>
  );
}
