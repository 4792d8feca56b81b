// The overlap matrix as a heat map: row segment × column segment, each cell the customers in
// both and their share of the row's segment (the diagonal: the segment's customers).
import { Text, vars } from "@saleor/macaw-ui";
import { css, heatColor, matrix, percentText, textOn, type Cell } from "../lib/heat";

export function HeatMap({ ids, cells, nameOf }: { ids: string[]; cells: Cell[]; nameOf: (id: string) => string }) {
  const rows = matrix(ids, cells);
  const head = { padding: "6px 8px", fontSize: 12, fontWeight: 500, color: vars.colors.text.default2, textAlign: "left" as const };
  return (
    <div style={{ overflowX: "auto" }}>
      <table style={{ borderCollapse: "separate", borderSpacing: 2 }} data-testid="heat-map">
        <caption style={{ textAlign: "left", fontSize: 12, color: vars.colors.text.default2, paddingBottom: 6 }}>
          Customers in both segments, and their share of the row's segment.
        </caption>
        <thead>
          <tr>
            <th style={head} scope="col"><span style={{ position: "absolute", left: -9999 }}>Segment</span></th>
            {ids.map((id) => <th key={id} scope="col" style={{ ...head, maxWidth: 110, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }} title={nameOf(id)}>{nameOf(id)}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={ids[r]}>
              <th scope="row" style={{ ...head, whiteSpace: "nowrap" }}>{nameOf(ids[r]!)}</th>
              {row.map((cell, c) => {
                if (!cell) return <td key={c} style={{ padding: 8, fontSize: 12 }}>—</td>;
                const colour = heatColor(cell.percent);
                const label = r === c
                  ? `${nameOf(ids[r]!)}: ${cell.shared.toLocaleString("en")} customers`
                  : `${cell.shared.toLocaleString("en")} customers in both ${nameOf(ids[r]!)} and ${nameOf(ids[c]!)}: ${percentText(cell.percent)} of ${nameOf(ids[r]!)}, ${percentText(cell.otherPercent)} of ${nameOf(ids[c]!)}`;
                return (
                  <td key={c} title={label} aria-label={label} data-row={r} data-col={c} data-shared={cell.shared} data-percent={cell.percent}
                    style={{ background: css(colour), color: textOn(colour), padding: "8px 10px", minWidth: 72, textAlign: "center", borderRadius: 4 }}>
                    <Text size={3} fontWeight="bold" style={{ color: "inherit" }}>{cell.shared.toLocaleString("en")}</Text>
                    <br />
                    <Text size={1} style={{ color: "inherit" }}>{percentText(cell.percent)}</Text>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
