"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** Specs and open findings per week, each on its own axis (their scales differ by orders of magnitude). */
export function TrendChart({ points }: { points: { week: string; specs: number; openFindings: number }[] }) {
  return (
    <div className="h-64 w-full" data-testid="trend-chart" role="img" aria-label="Weekly trend of spec count and open findings">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis dataKey="week" tick={{ fontSize: 11 }} tickFormatter={(w: string) => w.slice(5)} minTickGap={24} />
          <YAxis yAxisId="specs" tick={{ fontSize: 11 }} allowDecimals={false} />
          <YAxis yAxisId="findings" orientation="right" tick={{ fontSize: 11 }} allowDecimals={false} />
          <Tooltip labelFormatter={(w) => `Week of ${w}`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line yAxisId="specs" type="monotone" dataKey="specs" name="Specs" stroke="#0284c7" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line
            yAxisId="findings"
            type="monotone"
            dataKey="openFindings"
            name="Open findings"
            stroke="#d97706"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
