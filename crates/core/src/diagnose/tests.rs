//! The comparison with the previous run and the chain arithmetic, without a provider.

use super::*;

fn finding(id: &str, check: &str, severity: Severity) -> Finding {
    Finding::new(id, check, severity, id, "")
}

fn run(findings: Vec<Finding>) -> Diagnosis {
    Diagnosis {
        id: "r".into(),
        connector_id: "c".into(),
        connector_name: "n".into(),
        started_at: "2026-12-04T10:00:00.000Z".into(),
        finished_at: "2026-12-04T10:00:01.000Z".into(),
        wall_ms: 0,
        longest_chain_ms: 0,
        findings,
        fixed_since_last: Vec::new(),
        previous_run_at: None,
        errors: 0,
        warnings: 0,
        timings: Vec::new(),
        provider_unreachable: false,
        last_known: None,
    }
}

#[test]
fn a_problem_gone_while_its_check_ran_is_fixed_and_a_skipped_one_is_not() {
    let previous = run(vec![
        finding("credentials", "credentials", Severity::Error),
        finding("webhook.+15550001111", "webhook", Severity::Warning),
        finding("numbers.+15550002222", "numbers", Severity::Warning),
        finding("clock", "clock", Severity::Ok),
    ]);
    let mut skipped = finding("numbers", "numbers", Severity::Info);
    skipped.skipped = true;
    let now = vec![
        finding("credentials", "credentials", Severity::Ok),
        finding("webhook", "webhook", Severity::Ok),
        skipped,
    ];
    let fixed: Vec<String> = fixed_since(&previous, &now)
        .into_iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(fixed, ["credentials", "webhook.+15550001111"]);
}

#[test]
fn each_finding_says_how_it_compares_with_the_previous_run() {
    let previous = run(vec![
        finding("credentials", "credentials", Severity::Error),
        finding("clock", "clock", Severity::Warning),
    ]);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink_seen = Arc::clone(&seen);
    let sink: FindingSink = Arc::new(move |f: &Finding| {
        sink_seen.lock().unwrap().push((f.id.clone(), f.since_last));
    });
    let collector = Collector::new(Some(sink), Some(&previous));
    collector.emit(finding("credentials", "credentials", Severity::Ok));
    collector.emit(finding("clock", "clock", Severity::Warning));
    collector.emit(finding("inbound_url", "inbound_url", Severity::Error));
    collector.emit(finding("numbers", "numbers", Severity::Ok));
    assert_eq!(
        *seen.lock().unwrap(),
        [
            ("credentials".to_owned(), Some(SinceLast::Fixed)),
            ("clock".to_owned(), Some(SinceLast::Again)),
            ("inbound_url".to_owned(), Some(SinceLast::New)),
            ("numbers".to_owned(), None),
        ]
    );
}

#[test]
fn findings_never_carry_a_webhook_token() {
    let collector = Collector::new(None, None);
    collector.emit(
        finding("inbound_url", "inbound_url", Severity::Ok).evidence(Evidence {
            request: Some("POST https://h.example/inbound/conn/SECRETTOKEN".into()),
            summary: "expected https://h.example/inbound/conn/SECRETTOKEN".into(),
            ..Evidence::default()
        }),
    );
    let text = serde_json::to_string(&*collector.findings.lock().unwrap()).unwrap();
    assert!(!text.contains("SECRETTOKEN"), "{text}");
}

#[test]
fn the_longest_chain_is_the_slowest_branch() {
    let t = |branch: &str, ms| StepTiming {
        branch: branch.into(),
        step: "s".into(),
        ms,
    };
    let timings = [
        t("provider", 100),
        t("provider", 250),
        t("network", 300),
        t("local", 5),
    ];
    assert_eq!(longest_chain_ms(&timings), 350);
}

#[test]
fn a_run_that_cannot_reach_the_provider_carries_the_last_run_that_did() {
    let failure = ProviderFailure {
        provider: switchboard_providers::Provider::Twilio,
        kind: switchboard_providers::FailureKind::Unreachable,
        provider_code: None,
        http_status: None,
        message: String::new(),
        cause: "The provider could not be reached.".into(),
        fix: "Try again.".into(),
        docs_url: None,
    };
    let mut reached = run(vec![
        finding("numbers", "numbers", Severity::Ok),
        Finding::skipped("webhook", "webhook", "not checked", "why"),
    ]);
    reached.errors = 0;
    let known = LastKnownRun::carried(&reached, failure.clone()).unwrap();
    assert_eq!(known.run_id, "r");
    assert!(known.freshness.stale);
    assert_eq!(
        known.freshness.as_of.as_deref(),
        Some("2026-12-04T10:00:00.000Z")
    );
    assert_eq!(
        known.findings.len(),
        1,
        "skipped checks are not known state"
    );

    // A second run out of reach shows the same last known run, not the one that failed.
    let mut unreachable = run(vec![finding("credentials", "credentials", Severity::Error)]);
    unreachable.id = "u".into();
    unreachable.provider_unreachable = true;
    unreachable.last_known = Some(known.clone());
    let again = LastKnownRun::carried(&unreachable, failure).unwrap();
    assert_eq!(again.run_id, "r");
    assert_eq!(again.freshness.as_of, known.freshness.as_of);
}
