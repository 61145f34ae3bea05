import type { WebhookState } from "../../bindings";

export const WEBHOOK_LABEL: Record<WebhookState, string> = {
  configured: "Webhook configured",
  not_set: "Webhook not set up in provider",
  needs_reset: "Webhook needs to be set again",
  failed: "Webhook update failed",
  unknown: "Webhook not checked",
};

/** "3 minutes ago" for the age of the kept list. */
export function age(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"} ago`;
  const days = Math.round(hours / 24);
  return `${days} days ago`;
}
