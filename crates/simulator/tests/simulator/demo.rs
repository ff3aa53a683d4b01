//! The demo script, sped up, produces chats with several lines that end.

use std::time::{Duration, Instant};

use crate::common::*;
use simulator::SimConfig;

#[tokio::test]
async fn sped_up_demo_produces_chats_lines_and_endings() {
    let sim = sim_with(SimConfig {
        demo: true,
        demo_speed: 100.0,
        ..SimConfig::default()
    })
    .await;
    let cho = Agent::start(&sim, "cho").await; // Billing + Support, unlimited
    let ann = Agent::start(&sim, "ann").await; // Sales + Billing
    let mut chats = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut visitor_lines = 0;
    let mut ended = 0;
    let mut html = false;
    while Instant::now() < deadline {
        for a in [&ann, &cho] {
            if a.ringing().await > 0 {
                let (s, v) = a
                    .post(&a.s("/incomingRequests"), serde_json::json!({}))
                    .await;
                if s == 201 {
                    let url = many(&v["chatLocation"]["link"])[0]["@href"]
                        .as_str()
                        .unwrap()
                        .to_string();
                    chats.push((url, std::ptr::eq(a, &ann)));
                }
            }
        }
        visitor_lines = 0;
        ended = 0;
        for (url, is_ann) in &chats {
            let a = if *is_ann { &ann } else { &cho };
            let evs = a.events(url, 0).await;
            visitor_lines += evs.iter().filter(|e| e["source"] == "visitor").count();
            html |= evs.iter().any(|e| e["textType"] == "html");
            if states(&evs).last().map(String::as_str) == Some("ended") {
                ended += 1;
            }
        }
        if chats.len() >= 3 && ended >= 2 && visitor_lines >= 6 && html {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(chats.len() >= 3, "chats taken: {}", chats.len());
    assert!(visitor_lines >= 6, "visitor lines: {visitor_lines}");
    assert!(ended >= 2, "ended by visitors: {ended}");
    assert!(html, "some HTML lines");
}
