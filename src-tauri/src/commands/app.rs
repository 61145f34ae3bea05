use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use switchboard_core::CoreError;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub version: String,
    pub data_dir: String,
    /// Why the app cannot work (e.g. a database from a newer version), when it cannot.
    pub startup_error: Option<CommandError>,
    /// The in-process sandbox's address while it runs ("Try the sandbox").
    pub sandbox_url: Option<String>,
    /// The words that join the demo's WhatsApp Sandbox ("join brave-otter"), while it runs.
    pub sandbox_whatsapp_join: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub fn app_status(state: State<'_, AppState>) -> AppStatus {
    AppStatus {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: state.data_dir(),
        startup_error: state.startup_error(),
        sandbox_url: state.sandbox_url(),
        sandbox_whatsapp_join: state.demo().whatsapp_join_words(),
    }
}

/// When this process started (see [`mark_launch`]): the first screen's report is timed from it.
static LAUNCHED_AT: OnceLock<SystemTime> = OnceLock::new();

/// Notes the launch's time; the app's `run` calls it before anything else starts.
pub fn mark_launch() {
    let _ = LAUNCHED_AT.set(SystemTime::now());
}

/// ` 480 ms after the app started` (`now` after [`mark_launch`]); empty when the launch is not known.
fn since_launch(now: SystemTime) -> String {
    LAUNCHED_AT
        .get()
        .and_then(|launched| now.duration_since(*launched).ok())
        .map_or_else(String::new, |since| {
            format!(" {} ms after the app started", since.as_millis())
        })
}

/// The app's log records how long opening the data folder took (the database, the keychain, the
/// demo) and when setup was over after the launch, for a support engineer asked "it opens
/// slowly": the window's page loads once setup is over.
pub fn log_setup(opening: std::time::Instant) {
    let since_launch = since_launch(SystemTime::now());
    tracing::info!(
        target: "switchboard_app::startup",
        "setup: the data folder opened in {} ms, ready{since_launch}",
        opening.elapsed().as_millis()
    );
}

/// The app's log records when the window's page has loaded (Tauri's page-load hook): after it,
/// the UI asks for its data and shows it.
pub fn log_page_loaded() {
    let now = SystemTime::now();
    let since_launch = since_launch(now);
    tracing::info!(
        target: "switchboard_app::startup",
        "the window's page loaded{since_launch} (at {:.0} ms since the Unix epoch)",
        epoch_ms(now)
    );
}

/// What the window tells of the first screen it showed after a launch (a connector's number
/// rows, when the app reopened on its Numbers tab), on the page's own clock: milliseconds since
/// the Unix epoch (`performance.timeOrigin` plus a mark's time).
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FirstScreen {
    /// When the page began to load.
    pub page_started_at: f64,
    /// When the UI's script began to run (the page and its script fetched and parsed).
    pub script_started_at: f64,
    /// When the first number rows were shown.
    pub shown_at: f64,
}

/// Whether this launch's first screen was reported already (once per launch).
#[derive(Default)]
pub struct FirstScreenState(AtomicBool);

/// How far a report's times may lie from this machine's clock: a page is never older than that.
const FIRST_SCREEN_WINDOW_MS: f64 = 3_600_000.0;

/// The app's log records how long this launch took to show its first screen, and where the time
/// went (for a support engineer asked "it opens slowly"; `make bench-app` reads it too). Once per
/// launch; times that are not in order or not of this hour are refused, naming the field.
#[tauri::command]
#[specta::specta]
pub fn app_first_screen(
    reported: State<'_, FirstScreenState>,
    report: FirstScreen,
) -> Result<(), CommandError> {
    let line = first_screen_line(&report, LAUNCHED_AT.get().copied(), SystemTime::now())
        .map_err(CommandError::from)?;
    if reported.0.swap(true, Ordering::SeqCst) {
        return Err(CoreError::Conflict(
            "This launch's first screen was reported already.".to_owned(),
        )
        .into());
    }
    tracing::info!(target: "switchboard_app::startup", "{line}");
    Ok(())
}

fn epoch_ms(time: SystemTime) -> f64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0.0, |since| since.as_secs_f64() * 1000.0)
}

/// The log line for `report`, timed from `launched` when known; or which field is wrong.
fn first_screen_line(
    report: &FirstScreen,
    launched: Option<SystemTime>,
    now: SystemTime,
) -> Result<String, CoreError> {
    let now = epoch_ms(now);
    let times = [
        ("report.pageStartedAt", report.page_started_at),
        ("report.scriptStartedAt", report.script_started_at),
        ("report.shownAt", report.shown_at),
    ];
    let mut previous = None;
    for (field, at) in times {
        if !at.is_finite() || (at - now).abs() > FIRST_SCREEN_WINDOW_MS {
            return Err(CoreError::field(
                field,
                "must be a time of this hour in milliseconds since the Unix epoch",
            ));
        }
        if let Some((before, earlier)) = previous
            && at < earlier
        {
            return Err(CoreError::field(field, format!("is earlier than {before}")));
        }
        previous = Some((field, at));
    }
    let (page, script, shown) = (
        report.page_started_at,
        report.script_started_at,
        report.shown_at,
    );
    let tail = format!("rows at {shown:.0} ms since the Unix epoch");
    Ok(match launched.map(epoch_ms) {
        Some(launched) => format!(
            "first screen: number rows shown {:.0} ms after the app started (its page started at \
             {:.0} ms, its script ran at {:.0} ms; {tail})",
            shown - launched,
            page - launched,
            script - launched,
        ),
        None => format!(
            "first screen: number rows shown {:.0} ms after the page started (its script ran at \
             {:.0} ms; {tail})",
            shown - page,
            script - page,
        ),
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn at(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(ms)
    }

    const NOW: u64 = 1_780_000_000_000;

    fn report(page: u64, script: u64, shown: u64) -> FirstScreen {
        FirstScreen {
            page_started_at: page as f64,
            script_started_at: script as f64,
            shown_at: shown as f64,
        }
    }

    #[test]
    fn the_line_times_the_first_screen_from_the_launch() {
        let line = first_screen_line(
            &report(NOW + 210, NOW + 260, NOW + 480),
            Some(at(NOW)),
            at(NOW + 500),
        )
        .unwrap();
        assert_eq!(
            line,
            format!(
                "first screen: number rows shown 480 ms after the app started (its page started \
                 at 210 ms, its script ran at 260 ms; rows at {} ms since the Unix epoch)",
                NOW + 480
            )
        );
        let without_launch =
            first_screen_line(&report(NOW, NOW + 50, NOW + 270), None, at(NOW + 300)).unwrap();
        assert!(
            without_launch.starts_with(
                "first screen: number rows shown 270 ms after the page started (its script ran at 50 ms;"
            ),
            "{without_launch}"
        );
    }

    #[test]
    fn times_out_of_order_or_not_of_this_hour_are_refused_naming_the_field() {
        let field = |report: FirstScreen| match first_screen_line(&report, None, at(NOW)) {
            Err(CoreError::Validation(fields)) => fields[0].field.clone(),
            other => panic!("expected a field error, got {other:?}"),
        };
        assert_eq!(field(report(NOW, NOW - 5, NOW)), "report.scriptStartedAt");
        assert_eq!(field(report(NOW, NOW, NOW - 1)), "report.shownAt");
        assert_eq!(field(report(0, 0, 0)), "report.pageStartedAt");
        assert_eq!(field(report(NOW, NOW, NOW + 7_200_000)), "report.shownAt");
        let mut nan = report(NOW, NOW, NOW);
        nan.script_started_at = f64::NAN;
        assert_eq!(field(nan), "report.scriptStartedAt");
    }
}
