// The app's config lives at the repository root (tauri-build reads it from the app package's
// manifest dir); capabilities live under src-tauri/. The command list becomes one permission per
// command, so a capability can grant exactly what the UI calls.
fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
        "app_status",
        "org_list",
        "org_create",
        "org_update",
        "config_export",
        "config_export_save",
        "config_import_preview",
        "config_import_apply",
        "connector_list",
        "connector_get",
        "connector_validate",
        "connector_create",
        "connector_update",
        "connector_delete",
        "connector_check",
        "connector_events",
        "sandbox_try",
        "sandbox_leave",
        "sandbox_whatsapp_join",
        "numbers_list",
        "numbers_refresh",
        "numbers_set_active",
        "webhook_url",
        "webhook_regenerate",
        "webhook_plan",
        "webhook_set",
        "webhook_rollback",
        "webhook_resume",
        "webhook_jobs",
        "drift_report",
        "senders_list",
        "sender_get",
        "sender_register",
        "sender_verify",
        "sender_follow",
        "sender_update",
        "sender_remove",
        "sender_verticals",
        "agent_list",
        "agent_create",
        "agent_rename",
        "agent_delete",
        "channel_list",
        "channel_bind",
        "channel_unbind",
        "audit_list",
        "message_send",
        "message_list",
        "message_get",
        "message_reconcile",
        "message_templates",
        "message_stats",
        "log_list",
        "log_export",
        "messages_sync",
        "messages_imported",
        "diagnosis_run",
        "diagnosis_last",
        "support_bundle_create",
    ]);
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        println!("cargo:warning=tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
