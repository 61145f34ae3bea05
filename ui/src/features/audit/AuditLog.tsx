import { useAuditLog } from "./queries";

/** Every change to numbers, webhooks and channels in the organization, newest first. */
export function AuditLog({ orgId }: { orgId: string }) {
  const audit = useAuditLog(orgId);
  return (
    <details className="audit card">
      <summary>Audit log</summary>
      {audit.data?.length === 0 && <p className="muted">No changes yet.</p>}
      <table>
        <tbody>
          {audit.data?.map((entry) => (
            <tr key={entry.id}>
              <td className="muted">{new Date(entry.createdAt).toLocaleString()}</td>
              <td>{entry.action}</td>
              <td>{entry.target}</td>
              <td className="muted">
                {entry.before ?? "—"} → {entry.after ?? "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
