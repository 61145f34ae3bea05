import { describe, expect, it } from "vitest";

import { emptyValues, newRecipient, toDraft, valuesOf, type FormValues } from "./draft";
import { aConnector, settingsFor } from "./testing";

const smtp = (port: string): FormValues => ({
  ...emptyValues(),
  kind: "email",
  provider: "smtp",
  // An Account SID typed before switching to SMTP stays in the form but is not SMTP's.
  settings: { host: "smtp.hotel.example", port, accountSid: "AC1" },
  recipients: [newRecipient("+46701234567")],
});

describe("toDraft", () => {
  it("sends the provider's settings only, tagged with it, blank optional fields as null", () => {
    const draft = toDraft(smtp("587"), "o1", false);
    expect(draft.settings).toEqual({
      provider: "smtp",
      host: "smtp.hotel.example",
      port: 587,
      security: "starttls",
      username: null,
      from: "",
      caPem: null,
    });
    expect(draft.recipients).toEqual([]);
  });

  it("passes a port not given, or one the wire cannot carry, as 0 so the backend explains the range", () => {
    for (const port of ["", "70000", "58.5"]) {
      expect(toDraft(smtp(port), "o1", false).settings).toMatchObject({ port: 0 });
    }
  });

  it("sends the secret on create, and on edit only after Replace", () => {
    const typed = { ...emptyValues(), secret: "token" };
    expect(toDraft(typed, "o1", false).secret).toBe("token");
    expect(toDraft({ ...emptyValues() }, "o1", false).secret).toBeNull();
    const edited = { ...valuesOf(aConnector()), secret: "token" };
    expect(toDraft(edited, "o1", true).secret).toBeNull();
    expect(toDraft({ ...edited, replaceSecret: true }, "o1", true).secret).toBe("token");
  });

  it("round-trips a connector's values without its secret", () => {
    const values = valuesOf(aConnector());
    expect(values.secret).toBe("");
    const draft = toDraft(values, "o1", true);
    expect(draft).toEqual({
      orgId: "o1",
      kind: "whatsapp",
      name: "Front desk",
      settings: settingsFor("twilio"),
      recipients: [{ number: "+46707654321", backupEmail: "night@hotel.example" }],
      receiveInbound: true,
      secret: null,
    });
    for (const provider of ["telnyx", "46elks", "smtp"] as const) {
      const connector = aConnector({ kind: provider === "smtp" ? "email" : "sms", settings: settingsFor(provider) });
      expect(toDraft(valuesOf(connector), "o1", true).settings).toEqual(settingsFor(provider));
    }
  });
});
