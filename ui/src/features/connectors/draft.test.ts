import { describe, expect, it } from "vitest";

import { emptyValues, newRecipient, toDraft, valuesOf, type FormValues } from "./draft";
import { aConnector } from "./testing";

const smtp = (port: string): FormValues => ({
  ...emptyValues(),
  kind: "email",
  provider: "smtp",
  settings: { ...emptyValues().settings, smtpHost: "smtp.hotel.example", smtpPort: port, accountSid: "AC1" },
  recipients: [newRecipient("+46701234567")],
});

describe("toDraft", () => {
  it("sends blank optional fields as null and the provider's fields only", () => {
    const draft = toDraft(smtp("587"), "o1", false);
    expect(draft.settings).toMatchObject({ smtpHost: "smtp.hotel.example", smtpPort: 587, smtpSecurity: "starttls", accountSid: null, from: null });
    expect(draft.recipients).toEqual([]);
  });

  it("passes a port the wire cannot carry as 0 so the backend explains the range", () => {
    expect(toDraft(smtp(""), "o1", false).settings?.smtpPort).toBeNull();
    expect(toDraft(smtp("70000"), "o1", false).settings?.smtpPort).toBe(0);
    expect(toDraft(smtp("58.5"), "o1", false).settings?.smtpPort).toBe(0);
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
    expect(draft).toMatchObject({
      kind: "whatsapp",
      provider: "twilio",
      name: "Front desk",
      settings: { accountSid: "AC0123456789abcdef0123456789abcdef", from: "+46701234567" },
      recipients: [{ number: "+46707654321", backupEmail: "night@hotel.example" }],
      receiveInbound: true,
      secret: null,
    });
  });
});
