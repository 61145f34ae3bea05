// The configuration export/import commands of the mock backend (mode "mock" only; see ipc.ts): an
// export of the mock organization's connectors, and an import that adds the file's connectors.
// Fixtures, not rules: the real checks (paths of bad values, secrets, all or nothing) are in Rust.
type Json = Record<string, unknown>;

export function transferCommands(
  organizations: Json[],
  connectors: Json[],
  makeConnector: (draft: Json) => Json,
  makeOrganization: (name: string) => Json,
) {
  const orgOf = (id: unknown) => organizations.find((org) => org.id === id);
  const parse = (json: unknown): Json => {
    let file: Json;
    try {
      file = JSON.parse(String(json)) as Json;
    } catch {
      throw { code: "validation", message: "file: not JSON", fields: [{ field: "file", message: "The file is not valid JSON" }], provider: null };
    }
    if (file.format !== "switchboard-config") {
      const message = 'This is not a Switchboard configuration file: "format" must be "switchboard-config"';
      throw { code: "validation", message: `format: ${message}`, fields: [{ field: "format", message }], provider: null };
    }
    return file;
  };
  /** The organization an import goes to: the one chosen, or the one the file names (made if missing). */
  const target = (args: Json, create: boolean): Json | undefined => {
    if (args.orgId) return orgOf(args.orgId);
    const name = String((parse(args.json).organization as Json | undefined)?.name ?? "Imported");
    return organizations.find((org) => org.name === name) ?? (create ? makeOrganization(name) : undefined);
  };
  const incoming = (args: Json) => {
    const orgId = target(args, false)?.id;
    const names = new Set(connectors.filter((c) => orgId && c.orgId === orgId).map((c) => String(c.name).toLowerCase()));
    return ((parse(args.json).connectors as Json[] | undefined) ?? []).filter((c) => !names.has(String(c.name).toLowerCase()));
  };
  return {
    config_export: (args: Json) => {
      const org = orgOf(args.orgId) ?? { name: "Organization" };
      const document = {
        format: "switchboard-config",
        version: 1,
        organization: { name: org.name, inboundBaseUrl: org.inboundBaseUrl ?? null },
        connectors: connectors
          .filter((c) => c.orgId === args.orgId)
          .map((c) => ({ name: c.name, kind: c.kind, settings: c.settings, recipients: c.recipients ?? [], receiveInbound: true, numbers: [] })),
        agents: [],
        channels: [],
      };
      const slug = String(org.name).toLowerCase().replace(/[^a-z0-9]+/g, "-");
      return { fileName: `switchboard-config-${slug}.json`, json: `${JSON.stringify(document, null, 2)}\n` };
    },
    config_export_save: (args: Json) => {
      const org = orgOf(args.orgId) ?? { name: "Organization" };
      const slug = String(org.name).toLowerCase().replace(/[^a-z0-9]+/g, "-");
      return { path: `(mock)/Downloads/switchboard-config-${slug}.json`, bytes: 1, records: null };
    },
    config_import_preview: (args: Json) => ({
      organizationId: target(args, false)?.id ?? null,
      organizationName: target(args, false)?.name ?? (parse(args.json).organization as Json | undefined)?.name ?? "Organization",
      items: incoming(args).map((c) => {
        const provider = String((c.settings as Json | undefined)?.provider ?? "");
        return {
          key: `connector:${c.name}`,
          kind: "connector",
          change: "added",
          label: `Connector '${c.name}' (${c.kind}, ${provider})`,
          details: [],
          requires: [],
          secret: { connector: c.name, label: provider === "telnyx" ? "API key" : "Auth Token or API key secret", required: provider !== "smtp" },
          selected: true,
        };
      }),
    }),
    config_import_apply: (args: Json) => {
      const keys = new Set(((args.selection as Json).keys as string[]) ?? []);
      const chosen = incoming(args).filter((c) => keys.has(`connector:${c.name}`));
      const organization = target(args, true) as Json;
      const added = chosen.map((c) => makeConnector({ ...c, orgId: organization.id, state: "active" }));
      return { organization, applied: [...keys], connectors: added, numbersToReset: 0 };
    },
  } as Record<string, (args: Json) => unknown>;
}
