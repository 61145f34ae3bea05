//! Every command fed malformed and hostile arguments, as a compromised or buggy webview could
//! send them: missing fields, wrong types, huge strings, unknown ids, SQL and path characters,
//! NUL bytes. Each must answer a clear error and write nothing (SQLite, keychain, files).
//!
//! The table below names every command with its arguments; a command the app registers without
//! a row here fails `every_command_has_a_hostile_case`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::{Value, json};

use crate::ipc_support::{TestApp, WatchedSecrets, channel};
use crate::{Keychain, Launch, Startup};

/// What a command's argument is, which decides the hostile values it is fed.
#[derive(Clone, Copy, Debug)]
enum Arg {
    Org,
    Connector,
    Agent,
    Job,
    Attempt,
    /// A number the demo's WhatsApp connector holds (`sender`, `number`).
    Number,
    /// Free text: a name, a code, a recipient, a JSON document, an address to bind.
    Text,
    Flag,
    Count,
    Numbers,
    Channel,
    /// An object: its well-formed value and hostile variants of it.
    Object(fn(&Ids) -> Value, fn(&Ids) -> Vec<Value>),
}

/// Whether the command may answer hostile but well-typed input with data (a search that finds
/// nothing). It must still write nothing.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Answer {
    Refuses,
    MayFindNothing,
}

struct Case {
    command: &'static str,
    args: &'static [(&'static str, Arg, bool)],
    answer: Answer,
}

const fn case(
    command: &'static str,
    args: &'static [(&'static str, Arg, bool)],
    answer: Answer,
) -> Case {
    Case {
        command,
        args,
        answer,
    }
}

use Answer::{MayFindNothing as Reads, Refuses};
use Arg::*;

/// (name, kind, optional)
const CASES: &[Case] = &[
    case("app_status", &[], Reads),
    case(
        "app_first_screen",
        &[("report", Object(first_screen, first_screens), false)],
        Refuses,
    ),
    case("org_list", &[], Reads),
    case(
        "org_create",
        &[("draft", Object(org_draft, org_drafts), false)],
        Refuses,
    ),
    case(
        "org_update",
        &[
            ("id", Org, false),
            ("draft", Object(org_draft, org_drafts), false),
        ],
        Refuses,
    ),
    case("config_export", &[("orgId", Org, false)], Refuses),
    case("config_export_save", &[("orgId", Org, false)], Refuses),
    case(
        "config_import_preview",
        &[("orgId", Org, true), ("json", Text, false)],
        Refuses,
    ),
    case(
        "config_import_apply",
        &[
            ("orgId", Org, true),
            ("json", Text, false),
            ("selection", Object(selection, selections), false),
        ],
        Refuses,
    ),
    case("connector_list", &[("orgId", Org, true)], Reads),
    case("connector_get", &[("id", Connector, false)], Refuses),
    // Answers with the field errors it found (its contract), or none.
    case(
        "connector_validate",
        &[
            ("draft", Object(connector_draft, connector_drafts), false),
            ("existingId", Connector, true),
        ],
        Reads,
    ),
    case(
        "connector_create",
        &[("draft", Object(connector_draft, connector_drafts), false)],
        Refuses,
    ),
    case(
        "connector_update",
        &[
            ("id", Connector, false),
            ("draft", Object(connector_draft, connector_drafts), false),
        ],
        Refuses,
    ),
    case("connector_delete", &[("id", Connector, false)], Refuses),
    case("connector_check", &[("id", Connector, false)], Refuses),
    case("connector_events", &[("id", Connector, false)], Refuses),
    case("sandbox_try", &[], Refuses),
    case("sandbox_leave", &[], Refuses),
    case("sandbox_whatsapp_join", &[("to", Text, false)], Refuses),
    case(
        "numbers_active",
        &[("connectorId", Connector, false)],
        Refuses,
    ),
    case(
        "numbers_page",
        &[
            ("connectorId", Connector, false),
            ("offset", Count, false),
            ("limit", Count, false),
        ],
        Refuses,
    ),
    case(
        "numbers_refresh",
        &[("connectorId", Connector, false)],
        Refuses,
    ),
    case(
        "numbers_set_active",
        &[
            ("connectorId", Connector, false),
            ("numbers", Numbers, false),
            ("active", Flag, false),
        ],
        Refuses,
    ),
    case("webhook_url", &[("connectorId", Connector, false)], Refuses),
    case(
        "webhook_regenerate",
        &[("connectorId", Connector, false)],
        Refuses,
    ),
    case(
        "webhook_plan",
        &[
            ("connectorId", Connector, false),
            ("numbers", Numbers, false),
        ],
        Reads,
    ),
    case(
        "webhook_set",
        &[
            ("connectorId", Connector, false),
            ("numbers", Numbers, false),
            ("onProgress", Channel, false),
        ],
        Refuses,
    ),
    case(
        "webhook_rollback",
        &[("jobId", Job, false), ("onProgress", Channel, false)],
        Refuses,
    ),
    case(
        "webhook_resume",
        &[("jobId", Job, false), ("onProgress", Channel, false)],
        Refuses,
    ),
    case(
        "webhook_jobs",
        &[("connectorId", Connector, false)],
        Refuses,
    ),
    case("drift_report", &[("connectorId", Connector, true)], Refuses),
    case("agent_list", &[("orgId", Org, false)], Reads),
    case(
        "agent_create",
        &[("draft", Object(agent_draft, agent_drafts), false)],
        Refuses,
    ),
    case(
        "agent_rename",
        &[("agentId", Agent, false), ("name", Text, false)],
        Refuses,
    ),
    case("agent_delete", &[("agentId", Agent, false)], Refuses),
    case("channel_list", &[("orgId", Org, false)], Reads),
    case(
        "channel_bind",
        &[
            ("agentId", Agent, false),
            ("connectorId", Connector, false),
            ("number", Number, false),
        ],
        Refuses,
    ),
    case(
        "channel_unbind",
        &[("agentId", Agent, false), ("number", Number, false)],
        Refuses,
    ),
    case(
        "audit_list",
        &[
            ("orgId", Org, false),
            ("filter", Object(empty, audit_filters), false),
        ],
        Reads,
    ),
    case(
        "senders_list",
        &[("connectorId", Connector, false)],
        Refuses,
    ),
    case(
        "sender_get",
        &[("connectorId", Connector, false), ("sender", Number, false)],
        Refuses,
    ),
    case(
        "sender_register",
        &[
            ("connectorId", Connector, false),
            ("draft", Object(sender_draft, sender_drafts), false),
        ],
        Refuses,
    ),
    case(
        "sender_verify",
        &[
            ("connectorId", Connector, false),
            ("sender", Number, false),
            ("code", Text, false),
        ],
        Refuses,
    ),
    case(
        "sender_follow",
        &[
            ("connectorId", Connector, false),
            ("sender", Number, false),
            ("onProgress", Channel, false),
        ],
        Refuses,
    ),
    case(
        "sender_update",
        &[
            ("connectorId", Connector, false),
            ("sender", Number, false),
            ("draft", Object(empty, sender_update_drafts), false),
        ],
        Refuses,
    ),
    case(
        "sender_remove",
        &[("connectorId", Connector, false), ("sender", Number, false)],
        Refuses,
    ),
    case("sender_verticals", &[], Reads),
    case(
        "message_send",
        &[
            ("connectorId", Connector, false),
            ("request", Object(send_request, send_requests), false),
            ("onProgress", Channel, false),
        ],
        Refuses,
    ),
    case(
        "message_list",
        &[
            ("connectorId", Connector, false),
            ("filter", Object(empty, attempt_filters), false),
        ],
        Reads,
    ),
    case("message_get", &[("attemptId", Attempt, false)], Refuses),
    case(
        "message_reconcile",
        &[("attemptId", Attempt, false)],
        Refuses,
    ),
    case(
        "message_templates",
        &[("connectorId", Connector, false), ("all", Flag, false)],
        Refuses,
    ),
    case(
        "message_stats",
        &[("connectorId", Connector, false), ("days", Count, false)],
        Refuses,
    ),
    case(
        "log_list",
        &[("filter", Object(empty, log_filters), false)],
        Reads,
    ),
    // A filter that matches nothing saves an empty CSV (the UI reports 0 records): the one
    // command whose file the test allows; it must still write nothing into SQLite.
    case(
        "log_export",
        &[("filter", Object(empty, log_filters), false)],
        Reads,
    ),
    case(
        "messages_sync",
        &[("connectorId", Connector, false)],
        Refuses,
    ),
    case(
        "messages_imported",
        &[("connectorId", Connector, false), ("limit", Count, false)],
        Refuses,
    ),
    case(
        "diagnosis_run",
        &[
            ("connectorId", Connector, false),
            ("onFinding", Channel, false),
        ],
        Refuses,
    ),
    case(
        "diagnosis_last",
        &[("connectorId", Connector, false)],
        Refuses,
    ),
    case(
        "support_bundle_create",
        &[("connectorId", Connector, false)],
        Refuses,
    ),
    case(
        "inspector_explain",
        &[("request", Object(captured, captured_hostile), false)],
        Reads,
    ),
    // An empty `bind` is the default address (loopback): it starts, and writes nothing.
    case(
        "inspector_start",
        &[
            ("bind", Text, true),
            ("port", Count, false),
            ("allowRemote", Flag, false),
        ],
        Reads,
    ),
    case("inspector_stop", &[], Reads),
    case("inspector_status", &[], Reads),
    case("updates_settings", &[], Reads),
    case(
        "updates_set_check_on_launch",
        &[("enabled", Flag, false)],
        Refuses,
    ),
    // A command without arguments has no hostile body to be fed: its row (like `sandbox_try`'s)
    // only keeps the table complete. That a check and an install are refused while updates are
    // off is tested in ipc_plugins_tests.rs.
    case("updates_check", &[], Refuses),
    case("updates_install", &[], Refuses),
];

/// Real ids of the demo, so a hostile value in one argument meets well-formed others.
struct Ids {
    org: String,
    connector: String,
    agent: String,
    job: String,
    number: String,
}

const SQL: &str = "x' OR '1'='1'; DROP TABLE connectors; --";
const PATH: &str = "../../../../etc/passwd";
const NUL: &str = "a\u{0}b";

fn huge() -> String {
    "9".repeat(1 << 20)
}

/// Strings no id, number or name may be: each must be refused.
fn hostile_strings() -> Vec<String> {
    vec![
        "no-such-id".into(),
        SQL.into(),
        PATH.into(),
        NUL.into(),
        huge(),
        String::new(),
    ]
}

/// Values of the wrong JSON type for an argument of kind `arg`.
fn wrong_types(arg: Arg) -> Vec<Value> {
    let all = [
        json!(42),
        json!(-1.5),
        json!(true),
        json!("text"),
        json!([1, 2]),
        json!({ "$where": "1" }),
        Value::Null,
    ];
    all.into_iter()
        .filter(|value| match arg {
            Org | Connector | Agent | Job | Attempt | Number | Text => !value.is_string(),
            Flag => !value.is_boolean(),
            Count => !(value.is_u64()),
            Numbers => !value.is_array(),
            Channel => true,
            Object(..) => !value.is_object(),
        })
        .collect()
}

fn well_formed(arg: Arg, ids: &Ids) -> Value {
    match arg {
        Org => json!(ids.org),
        Connector => json!(ids.connector),
        Agent => json!(ids.agent),
        Job => json!(ids.job),
        Attempt => json!("no-such-attempt"),
        Number => json!(ids.number),
        Text => json!("text"),
        Flag => json!(true),
        Count => json!(7),
        Numbers => json!([ids.number]),
        Channel => json!(channel()),
        Object(make, _) => make(ids),
    }
}

/// Well-typed hostile values for an argument of kind `arg`.
fn hostile(arg: Arg, ids: &Ids) -> Vec<Value> {
    match arg {
        Org | Connector | Agent | Job | Attempt | Number => {
            hostile_strings().into_iter().map(Value::from).collect()
        }
        // SQL and path characters are fair in a name: only what no text may be.
        Text => vec![
            json!(NUL),
            json!(huge()),
            json!(""),
            json!("\u{1b}[2J\u{7}"),
        ],
        Flag => Vec::new(),
        // Out-of-range counts are Tauri's to refuse (wrong types); in range, any is fair.
        Count => Vec::new(),
        // (An empty list means every active number: not hostile.)
        Numbers => {
            let mut lists: Vec<Value> = hostile_strings().into_iter().map(|s| json!([s])).collect();
            lists.push(json!(vec!["+19995550000"; 100_000]));
            lists.push(json!([ids.number, SQL]));
            lists
        }
        Channel => vec![json!("__CHANNEL__:x"), json!("__CHANNEL__:"), json!(PATH)],
        Object(_, variants) => variants(ids),
    }
}

fn empty(_: &Ids) -> Value {
    json!({})
}

fn org_draft(_: &Ids) -> Value {
    json!({ "name": "Hostile Hotel" })
}

fn org_drafts(_: &Ids) -> Vec<Value> {
    vec![
        json!({ "name": huge() }),
        json!({ "name": NUL }),
        json!({ "name": "" }),
        json!({ "name": "Ok", "inboundBaseUrl": PATH }),
        json!({ "name": "Ok", "inboundBaseUrl": "file:///etc/passwd" }),
        json!({ "name": "Ok", "inboundBaseUrl": "javascript:alert(1)" }),
    ]
}

fn connector_draft(ids: &Ids) -> Value {
    json!({
        "orgId": ids.org,
        "kind": "sms",
        "name": "Hostile",
        "settings": {
            "provider": "twilio",
            "accountSid": "AC0123456789abcdef0123456789abcdef",
            "from": "+46701234567",
            "baseUrl": "http://127.0.0.1:9"
        },
        "secret": "tw-auth-token-0123456789abcdef00"
    })
}

fn connector_drafts(ids: &Ids) -> Vec<Value> {
    let with = |path: &[&str], value: Value| {
        let mut draft = connector_draft(ids);
        let mut at = &mut draft;
        for key in &path[..path.len() - 1] {
            at = &mut at[*key];
        }
        at[path[path.len() - 1]] = value;
        draft
    };
    let mut drafts = Vec::new();
    for bad in hostile_strings() {
        drafts.push(with(&["orgId"], json!(bad)));
        drafts.push(with(&["settings", "accountSid"], json!(bad)));
        // Blank optional settings mean "none" or "the provider's own".
        if !bad.is_empty() {
            drafts.push(with(&["settings", "from"], json!(bad)));
            drafts.push(with(&["settings", "baseUrl"], json!(bad)));
        }
    }
    drafts.push(with(&["name"], json!(huge())));
    drafts.push(with(&["name"], json!(NUL)));
    drafts.push(with(&["secret"], json!(huge())));
    drafts.push(with(&["secret"], json!(NUL)));
    drafts.push(with(&["kind"], json!("pigeon")));
    drafts.push(with(&["settings", "provider"], json!("pigeon")));
    drafts.push(with(&["settings", "baseUrl"], json!("file:///etc/passwd")));
    drafts.push(with(
        &["recipients"],
        json!([{ "number": SQL, "backupEmail": PATH }]),
    ));
    drafts
}

fn first_screen(_: &Ids) -> Value {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as f64;
    json!({ "pageStartedAt": now - 500.0, "scriptStartedAt": now - 450.0, "shownAt": now - 200.0 })
}

/// Times out of order, of another hour, of the wrong type, or with a field too many.
fn first_screens(ids: &Ids) -> Vec<Value> {
    let good = first_screen(ids);
    let with = |field: &str, value: Value| {
        let mut report = good.clone();
        report[field] = value;
        report
    };
    // Text where a time goes (Tauri's own refusal, like any wrong type: it quotes what it got,
    // so not the huge string).
    let mut reports: Vec<Value> = [SQL, PATH, NUL, ""]
        .into_iter()
        .map(|bad| with("shownAt", json!(bad)))
        .collect();
    reports.push(with("shownAt", json!(0)));
    reports.push(with("pageStartedAt", json!(-1.0e300)));
    reports.push(with("scriptStartedAt", json!(1.0e300)));
    reports.push(with("shownAt", good["pageStartedAt"].clone()));
    reports.push(with("sql", json!(SQL)));
    reports
}

fn agent_draft(ids: &Ids) -> Value {
    json!({ "orgId": ids.org, "name": "Hostile agent" })
}

fn agent_drafts(ids: &Ids) -> Vec<Value> {
    let mut drafts: Vec<Value> = hostile_strings()
        .into_iter()
        .map(|bad| json!({ "orgId": bad, "name": "Ok" }))
        .collect();
    drafts.push(json!({ "orgId": ids.org, "name": huge() }));
    drafts.push(json!({ "orgId": ids.org, "name": NUL }));
    drafts.push(json!({ "orgId": ids.org, "name": "" }));
    drafts.push(json!({ "orgId": ids.org, "name": "Ok", "description": huge() }));
    drafts
}

fn selection(_: &Ids) -> Value {
    json!({ "keys": [] })
}

fn selections(_: &Ids) -> Vec<Value> {
    hostile_strings()
        .into_iter()
        .map(|bad| json!({ "keys": [bad], "secrets": [] }))
        .collect()
}

fn sender_draft(ids: &Ids) -> Value {
    json!({ "sender": ids.number })
}

fn sender_drafts(_: &Ids) -> Vec<Value> {
    hostile_strings()
        .into_iter()
        .map(|bad| json!({ "sender": bad }))
        .collect()
}

fn sender_update_drafts(_: &Ids) -> Vec<Value> {
    hostile_strings()
        .into_iter()
        .map(|bad| json!({ "webhook": { "callbackUrl": bad } }))
        .collect()
}

fn send_request(_: &Ids) -> Value {
    json!({ "to": "+46701234567", "text": "Hi" })
}

fn send_requests(ids: &Ids) -> Vec<Value> {
    let mut requests = Vec::new();
    for bad in hostile_strings() {
        requests.push(json!({ "to": bad, "text": "Hi" }));
        requests.push(json!({ "to": "+46701234567", "media": [bad] }));
        // A blank From or callback means the connector's own.
        if !bad.is_empty() {
            requests.push(json!({ "from": bad, "to": "+46701234567", "text": "Hi" }));
            requests.push(json!({ "to": "+46701234567", "text": "Hi", "statusCallback": bad }));
        }
    }
    requests.push(json!({ "to": "+46701234567", "text": huge() }));
    requests.push(json!({ "to": "+46701234567" }));
    requests.push(json!({ "from": ids.number, "to": "+46701234567", "template": PATH }));
    requests
}

fn filters(fields: &[&str], numbers: &[&str]) -> Vec<Value> {
    let mut filters = Vec::new();
    for bad in hostile_strings() {
        for field in fields {
            filters.push(json!({ *field: bad }));
        }
    }
    for field in numbers {
        filters.push(json!({ *field: u64::MAX }));
    }
    filters
}

fn audit_filters(_: &Ids) -> Vec<Value> {
    filters(
        &["connectorId", "text", "since", "until"],
        &["before", "limit"],
    )
}

fn attempt_filters(_: &Ids) -> Vec<Value> {
    filters(
        &["status", "number", "since", "until", "cursor"],
        &["limit"],
    )
}

fn log_filters(_: &Ids) -> Vec<Value> {
    filters(
        &[
            "connectorId",
            "orgId",
            "level",
            "kind",
            "number",
            "since",
            "until",
            "text",
        ],
        &["before", "limit"],
    )
}

fn captured(_: &Ids) -> Value {
    json!({ "method": "POST", "url": "http://127.0.0.1/", "headers": {}, "body": "" })
}

fn captured_hostile(_: &Ids) -> Vec<Value> {
    hostile_strings()
        .into_iter()
        .map(|bad| {
            json!({
                "method": bad, "url": bad, "body": bad,
                "headers": { "X-Twilio-Signature": bad, "telnyx-signature-ed25519": bad }
            })
        })
        .collect()
}

/// Every argument body a command is fed: none at all, each argument missing, each of the wrong
/// type, each hostile while the others are well-formed.
fn bodies(case: &Case, ids: &Ids) -> Vec<(String, Value)> {
    let base: serde_json::Map<String, Value> = case
        .args
        .iter()
        .map(|(name, arg, _)| ((*name).to_owned(), well_formed(*arg, ids)))
        .collect();
    let mut bodies = Vec::new();
    if case.args.iter().any(|(_, _, optional)| !optional) {
        bodies.push(("no arguments".to_owned(), json!({})));
    }
    for (name, arg, optional) in case.args {
        let with = |value: Value| {
            let mut body = base.clone();
            body.insert((*name).to_owned(), value);
            Value::Object(body)
        };
        if !optional {
            let mut body = base.clone();
            body.remove(*name);
            bodies.push((format!("{name} missing"), Value::Object(body)));
        }
        for value in wrong_types(*arg) {
            if *optional && value.is_null() {
                continue;
            }
            bodies.push((format!("{name} = {}", short(&value)), with(value)));
        }
        for value in hostile(*arg, ids) {
            bodies.push((format!("{name} = {}", short(&value)), with(value)));
        }
    }
    bodies
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 60 {
        format!("{}… ({} bytes)", &text[..60], text.len())
    } else {
        text
    }
}

/// Every row of every table, and every file in the data folder besides the database's own.
fn snapshot(dir: &Path) -> (BTreeMap<String, Vec<String>>, BTreeSet<String>) {
    let db = rusqlite::Connection::open(dir.join("switchboard.db")).unwrap();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut rows = BTreeMap::new();
    for table in tables {
        let mut statement = db.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = statement.column_count();
        let mut all: Vec<String> = statement
            .query_map([], |row| {
                Ok((0..columns)
                    .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        all.sort();
        rows.insert(table, all);
    }
    let mut files = BTreeSet::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if !path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("switchboard.db")
            {
                files.insert(path.display().to_string());
            }
        }
    }
    (rows, files)
}

fn registered_commands() -> BTreeSet<String> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b.ts");
    crate::specta_builder::<tauri::test::MockRuntime>()
        .export(specta_typescript::Typescript::default(), &out)
        .unwrap();
    std::fs::read_to_string(out)
        .unwrap()
        .split("__TAURI_INVOKE")
        .skip(1)
        .filter_map(|rest| Some(rest.split_once("(\"")?.1.split('"').next()?.to_owned()))
        .collect()
}

#[test]
fn every_command_has_a_hostile_case() {
    let covered: BTreeSet<String> = CASES.iter().map(|c| c.command.to_owned()).collect();
    assert_eq!(
        covered,
        registered_commands(),
        "each command needs a row in CASES (ipc_hostile_tests.rs)"
    );
}

/// The demo (four connectors of three providers), an agent, an active number with its webhook
/// job: real ids for the well-formed arguments.
fn demo(app: &TestApp) -> Ids {
    let demo = app.invoke("sandbox_try", json!({})).unwrap();
    let org = demo["organization"]["id"].as_str().unwrap().to_owned();
    let connector = demo["connectors"][0]["id"].as_str().unwrap().to_owned();
    let number = "+14155550101".to_owned();
    app.invoke("numbers_refresh", json!({ "connectorId": connector }))
        .unwrap();
    app.invoke(
        "numbers_set_active",
        json!({ "connectorId": connector, "numbers": [number], "active": true }),
    )
    .unwrap();
    let job = app
        .invoke(
            "webhook_set",
            json!({ "connectorId": connector, "numbers": [number], "onProgress": channel() }),
        )
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let agent = app
        .invoke(
            "agent_create",
            json!({ "draft": { "orgId": org, "name": "Night desk" } }),
        )
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    Ids {
        org,
        connector,
        agent,
        job,
        number,
    }
}

/// Why `error` is not a clear refusal, if it is not. Tauri's own refusal of an argument it cannot decode is a bare string naming the command and
/// the argument (the UI turns it into a `CommandFailure`, see ui/src/lib/api.ts); every other
/// refusal is the command's `{code, message}`.
fn unclear(command: &str, label: &str, error: &Value) -> Option<String> {
    let message = match error {
        Value::String(text) => {
            let decoder =
                text.starts_with("invalid args `") && text.contains(&format!("`{command}`"));
            if !decoder && !text.starts_with("invalid channel value `") {
                return Some(format!("{command} ({label}): {}", short(error)));
            }
            text.clone()
        }
        _ => {
            if error["code"].as_str().unwrap_or_default().is_empty() {
                return Some(format!("{command} ({label}): no code in {}", short(error)));
            }
            error["message"].as_str().unwrap_or_default().to_owned()
        }
    };
    if message.trim().is_empty() {
        return Some(format!("{command} ({label}): an empty message"));
    }
    if message.len() > 2_000 {
        return Some(format!(
            "{command} ({label}): a {}-byte message echoes the argument: {}",
            message.len(),
            short(&json!(message))
        ));
    }
    if message.contains('\u{0}') {
        return Some(format!("{command} ({label}): a NUL byte in the message"));
    }
    if message.contains("tw-auth-token") {
        return Some(format!("{command} ({label}): the secret in the message"));
    }
    None
}

#[test]
fn every_command_refuses_hostile_arguments_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(WatchedSecrets::default());
    let app = TestApp::launch(Launch::Startup(Startup {
        data_dir: Some(dir.path().to_owned()),
        keychain: Keychain::Given(secrets.clone()),
        sandbox_auto: false,
        download_dir: Some(dir.path().join("downloads")),
        updates_off: true,
    }));
    let ids = demo(&app);
    let mut failures = Vec::new();
    let mut fed = 0;
    for case in CASES {
        let before = snapshot(dir.path());
        let writes = secrets.writes.load(Ordering::SeqCst);
        for (label, body) in bodies(case, &ids) {
            fed += 1;
            match app.invoke(case.command, body) {
                Err(error) => failures.extend(unclear(case.command, &label, &error)),
                Ok(answer) if case.answer == Answer::MayFindNothing => {
                    let _ = answer;
                }
                Ok(answer) => failures.push(format!(
                    "{} ({label}) was accepted: {}",
                    case.command,
                    short(&answer)
                )),
            }
        }
        let after = snapshot(dir.path());
        if before.1 != after.1 && case.command != "log_export" {
            failures.push(format!(
                "{} wrote files: {:?}",
                case.command,
                after.1.difference(&before.1).collect::<Vec<_>>()
            ));
        }
        for (table, rows) in &after.0 {
            if before.0.get(table) != Some(rows) {
                failures.push(format!("{} wrote into {table}", case.command));
            }
        }
        if secrets.writes.load(Ordering::SeqCst) != writes {
            failures.push(format!("{} wrote to the keychain", case.command));
        }
    }
    assert!(fed > 500, "only {fed} bodies");
    assert!(
        failures.is_empty(),
        "{} of {fed} hostile calls misbehaved:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
