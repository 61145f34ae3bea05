//! A bare Tauri v2 app: one window showing one static page (dist/index.html). It says on stderr
//! when its page has loaded (Tauri's page-load hook, as the app does), which `make bench` times.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::time::{SystemTime, UNIX_EPOCH};

use tauri::webview::PageLoadEvent;

fn main() {
    let result = tauri::Builder::default()
        .on_page_load(|_, payload| {
            if payload.event() == PageLoadEvent::Finished {
                let at = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |since| since.as_millis());
                eprintln!("bare-tauri-app: page loaded at {at} ms since the Unix epoch");
            }
        })
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("bare-tauri-app: {error}");
        std::process::exit(1);
    }
}
