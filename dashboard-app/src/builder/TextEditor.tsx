// The builder's "Text" tab: the same definition in the segment query language. Opening it
// prints the visual builder's tree (segmentConditionsText); typing parses the text
// (segmentConditionsParse) and, when it is valid, hands the tree back to the visual builder,
// so the two tabs always show one definition. Problems stand at their line and column.
import { Box, Button, Text, vars } from "@saleor/macaw-ui";
import { useEffect, useRef, useState, type MutableRefObject } from "react";
import { ErrorText, Message } from "../components/ui";
import { gql } from "../lib/api";
import { CONDITIONS_PARSE, CONDITIONS_PRINT, type ConditionsText } from "../lib/queries";
import { errorExcerpt, type TextError } from "../lib/textform";
import { load, save, type Tree } from "./tree";

type Problem = TextError & { field: string | null };

/** What the page asks the Text tab before the merchant leaves it: read what is typed now
 * (handing a valid tree to the builder) and say how many problems it has. */
export type TextHandle = { flush: () => Promise<number> };

async function parse(text: string, applyTo: string): Promise<ConditionsText> {
  return (await gql<{ segmentConditionsParse: ConditionsText }>(CONDITIONS_PARSE, { text, applyTo })).segmentConditionsParse;
}

export function TextEditor({ tree, applyTo, setTree, onProblems, handle }: {
  tree: Tree; applyTo: string; setTree: (tree: Tree) => void; onProblems: (count: number) => void;
  handle?: MutableRefObject<TextHandle | null>;
}) {
  const [text, setText] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [printProblems, setPrintProblems] = useState<Problem[]>([]);
  const [checking, setChecking] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const accepted = useRef<string | null>(null); // the last text whose tree the builder holds
  const latest = useRef({ text, applyTo, setTree });
  latest.current = { text, applyTo, setTree };

  // print the visual builder's tree once, when the tab opens
  useEffect(() => {
    let live = true;
    gql<{ segmentConditionsText: ConditionsText }>(CONDITIONS_PRINT, { conditions: JSON.stringify(save(tree)), applyTo })
      .then(({ segmentConditionsText: printed }) => {
        if (!live) return;
        if (printed.errors.length || printed.text == null) {
          setPrintProblems(printed.errors.map((e) => ({ ...e, field: e.field })));
          setText("");
        } else {
          accepted.current = printed.text;
          setText(printed.text);
        }
      }, (e: Error) => live && setFailure(e.message));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function apply(result: ConditionsText, typed: string) {
    const found = result.errors.map((e) => ({ ...e, field: e.field }));
    setProblems(found);
    onProblems(found.length);
    if (!found.length && result.conditions) {
      accepted.current = typed;
      setPrintProblems([]);
      latest.current.setTree(load(JSON.parse(result.conditions)));
    }
  }

  // parse what is typed, 400 ms after the last key
  useEffect(() => {
    if (text == null || text === accepted.current) return;
    let live = true;
    setChecking(true);
    const timer = window.setTimeout(() => {
      parse(text, applyTo).then((result) => live && apply(result, text), (e: Error) => live && setFailure(e.message))
        .finally(() => live && setChecking(false));
    }, 400);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text, applyTo]);

  useEffect(() => {
    if (!handle) return;
    handle.current = {
      flush: async () => {
        const { text: last, applyTo: scope } = latest.current;
        if (last == null || last === accepted.current) return 0;
        const result = await parse(last, scope);
        apply(result, last);
        return result.errors.length;
      },
    };
    return () => {
      handle.current = null;
    };
  });

  // unmounted with text not yet read (e.g. saved and left): read it now, so no keystroke is lost
  useEffect(() => () => {
    const { text: last, applyTo: scope, setTree: hand } = latest.current;
    if (last == null || last === accepted.current) return;
    parse(last, scope).then((result) => {
      if (!result.errors.length && result.conditions) hand(load(JSON.parse(result.conditions)));
    }, () => undefined);
  }, []);

  async function format() {
    if (text == null) return;
    const result = await parse(text, applyTo);
    apply(result, text);
    if (!result.errors.length && result.text != null) {
      accepted.current = result.text;
      setText(result.text);
    }
  }

  if (failure) return <Message tone="critical1">{failure}</Message>;
  if (text == null) return <Message>Writing the conditions as text…</Message>;
  const shown = problems.length ? problems : printProblems;
  const status = checking ? "Checking…" : problems.length
    ? `${problems.length} problem${problems.length === 1 ? "" : "s"}: fix ${problems.length === 1 ? "it" : "them"} before leaving this tab or saving (the visual builder still holds the last valid definition).`
    : printProblems.length ? "The visual definition has problems (below): fix them there, or write the conditions here."
    : "Valid: the visual builder shows the same definition.";
  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <textarea aria-label="Conditions as text" aria-invalid={problems.length > 0 || undefined} aria-describedby="conditions-text-status"
        data-testid="conditions-text" value={text} spellCheck={false} rows={Math.min(24, Math.max(6, text.split("\n").length + 1))}
        onChange={(e) => setText(e.target.value)}
        style={{ fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace", fontSize: 13, lineHeight: 1.5, padding: 10, borderRadius: 8,
          border: `1px solid ${problems.length ? vars.colors.border.critical1 : vars.colors.border.default1}`,
          background: vars.colors.background.default1, color: vars.colors.text.default1, tabSize: 2 }} />
      <Box display="flex" justifyContent="space-between" alignItems="center" gap={2}>
        <Text id="conditions-text-status" size={2} color={problems.length ? "critical1" : "default2"} role="status" data-testid="conditions-text-status">{status}</Text>
        <Button variant="secondary" size="small" onClick={format} disabled={checking}>Format</Button>
      </Box>
      {shown.map((p, i) => {
        const at = errorExcerpt(text, p);
        return (
          <Box key={i} display="flex" flexDirection="column" data-testid="text-problem">
            <ErrorText>{at.where ? `${at.where}: ` : p.field ? `${p.field}: ` : ""}{p.message}</ErrorText>
            {p.line != null && (
              <pre aria-hidden style={{ margin: 0, fontSize: 12, color: vars.colors.text.default2 }}>{`${at.source}\n${at.caret}`}</pre>
            )}
          </Box>
        );
      })}
      <Text size={2} color="default2">
        Written as in the README's “Segment query language”: all {"{ … }"} / any {"{ … }"} groups, one condition a line, e.g. customer.metadata(gender) is "female".
      </Text>
    </Box>
  );
}
