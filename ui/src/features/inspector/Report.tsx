import { KIND_WORDS, VERDICT_WORDS, signedWords, type InspectReport } from "./request";

/** One inspection report in plain words: the verdict, whose it is, which URL was signed, and why not. */
export function Report({ report }: { report: InspectReport }) {
  const signed = signedWords(report);
  const who = report.connectorName
    ? `${KIND_WORDS[report.kind]} for “${report.connectorName}” (${report.provider})`
    : `${KIND_WORDS[report.kind]} for no known connector`;
  return (
    <section aria-label="Inspection report" className="inspector-report">
      <p role="status">
        <span className={`badge ${report.valid ? "state-active" : "state-error"}`}>{VERDICT_WORDS[report.verdict]}</span> {who}
      </p>
      <dl className="facts">
        <dt>Received at</dt>
        <dd>
          <code>{report.receivedUrl}</code>
        </dd>
        {report.publicUrl && (
          <>
            <dt>Public URL</dt>
            <dd>
              <code>{report.publicUrl}</code>
            </dd>
          </>
        )}
        {signed && (
          <>
            <dt>Signed over</dt>
            <dd>{signed}</dd>
          </>
        )}
        {report.number && (
          <>
            <dt>Number</dt>
            <dd>
              {report.number} {report.numberKnown ? "(one of the connector's numbers)" : "(not among the connector's numbers)"}
            </dd>
          </>
        )}
        {report.messageId && (
          <>
            <dt>Message</dt>
            <dd>
              {report.messageId}
              {report.status ? ` · ${report.status}` : ""}
              {report.errorCode ? ` (error ${report.errorCode})` : ""}
            </dd>
          </>
        )}
      </dl>
      {report.reasons.length > 0 && (
        <ul aria-label="Reasons">
          {report.reasons.map((reason) => (
            <li key={reason.code}>{reason.message}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
