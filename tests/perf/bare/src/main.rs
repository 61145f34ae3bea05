//! A bare Tauri v2 app: one window showing one static page (dist/index.html).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(error) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("bare-tauri-app: {error}");
        std::process::exit(1);
    }
}
