//! Logging the app in through its login form, with a simulator of the test's own as the server.

use serde_json::json;
use simulator::Simulator;

use crate::E2eResult;
use crate::window::{AppWindow, LaunchSpec, STEP, poll, tid};

/// Fills the login form (Advanced: server and the CA to trust) as `ann` and submits it.
pub async fn submit_login(
    app: &AppWindow,
    server: &str,
    account: &str,
    ca_pem: Option<&str>,
) -> E2eResult<()> {
    app.visible(&tid("login-form")).await?;
    // Opens "Advanced" unless it is still open from an earlier login of this window.
    let open = app
        .script(&format!(
            "return document.querySelector({:?}).open === true",
            tid("login-advanced")
        ))
        .await?;
    if open != serde_json::Value::Bool(true) {
        app.click(&format!("{} summary", tid("login-advanced")))
            .await?;
    }
    for (field, value) in [
        ("login-server", server),
        ("login-account", account),
        ("login-user", "ann"),
        ("login-password", "ann-pass"),
    ] {
        let input = app.visible(&tid(field)).await?;
        input.clear().await?;
        input.send_keys(value).await?;
    }
    let ca = app.visible(&tid("login-ca")).await?;
    ca.clear().await?;
    if let Some(pem) = ca_pem {
        // Pasted: the whole PEM at once, as a paste puts it.
        let ca_json = serde_json::to_value(&ca)?;
        app.client()?
            .execute(
                "arguments[0].value = arguments[1]; \
                 arguments[0].dispatchEvent(new Event('input', { bubbles: true })); return true;",
                vec![ca_json, json!(pem)],
            )
            .await?;
    }
    app.click(&tid("login-submit")).await?;
    Ok(())
}

/// Logs `ann` in on the shown login form and sets her Online from the top bar (a new agent
/// session starts Offline, as on the real service).
pub async fn log_in_online(app: &AppWindow, sim: &Simulator) -> E2eResult<()> {
    submit_login(app, sim.base_url(), sim.account_id(), sim.ca_pem()).await?;
    app.visible(&tid("desk-view")).await?;
    app.text_contains(&tid("agent-name"), "Ann").await?;
    // The top bar shows the new session's availability once the server reported it (a select
    // still showing an earlier session's "Online" would not send a change).
    let select = tid("availability-select");
    let reported = poll("the top bar to show an availability", STEP, || async {
        let value = app
            .script(&format!(
                "return document.querySelector({select:?}).dataset.value || ''"
            ))
            .await?;
        Ok(value.as_str().filter(|v| !v.is_empty()).map(str::to_owned))
    })
    .await?;
    if reported != "Online" {
        app.visible(&select)
            .await?
            .select_by_value("Online")
            .await?;
    }
    Ok(())
}

/// Launches the app and logs `ann` in, Online.
pub async fn logged_in_app_with(sim: &Simulator, spec: LaunchSpec) -> E2eResult<AppWindow> {
    let app = AppWindow::launch(spec).await?;
    app.visible(&tid("login-form")).await?;
    app.record_page_errors().await?;
    log_in_online(&app, sim).await?;
    Ok(app)
}
