// Compiled with `tsc --noEmit` by types.test.mjs: the declarations are valid and precise.
import init, { Engine, formatVnd, warningText, type Quote, type Request } from "../pkg/lephi.js";

export async function estimate(): Promise<string> {
  await init();
  const engine = new Engine();
  const request: Request = { procedure: "driver-licence.issue", date: "2024-05-01", channel: "online_full" };
  const quote: Quote = engine.quote(request);
  const first: string = quote.lines[0].basis.number;
  const saving: string | null | undefined = engine.compareChannels(request).online_saving;
  const notes: string[] = quote.warnings.map((w) => warningText(w, "vi"));
  const caveat: string | null | undefined = engine.sources(request)[0].notes;
  const choice: string = engine.missingInputs({ procedure: "registration-fee.motorbike", date: "2024-05-01" })[0].choices[0].label.vi;
  // @ts-expect-error a procedure's codes are left out of the JSON when it has none
  const codes: string[] = engine.procedures()[0].codes;
  // @ts-expect-error a document's notes are left out of the JSON when there are none
  const note: string = engine.sources(request)[0].notes;
  // @ts-expect-error a warning is an object from a quote, not its code
  warningText("secondary_source");
  // @ts-expect-error money is a decimal string, never a number
  const wrong: number = quote.total;
  return `${formatVnd(quote.total)} ${first} ${saving ?? ""} ${wrong} ${notes.join(" ")} ${choice} ${caveat ?? ""} ${codes} ${note}`;
}
