//! What the app asks of the web page it is rendered in, through the
//! renderer's JavaScript bridge (`document::eval`): the phone's position and,
//! in liveview, the bytes of picked photos. Every renderer has the bridge;
//! where the page cannot answer (no location service, permission refused,
//! rendering to HTML in tests) the caller gets a reason in Chinese.

use dioxus::prelude::*;
use fieldledger_model::visit::Position;
use serde::Deserialize;

/// How long the page may look for a position before giving up, in ms.
const POSITION_TIMEOUT_MS: u32 = 20_000;

/// Asks the page for the current position. Accepts a fix up to two minutes
/// old, so that a second visit in the same yard answers at once.
pub async fn current_position() -> Result<Position, String> {
    let script = format!(
        r#"
        if (!navigator.geolocation) {{
            return {{ error: "unavailable" }};
        }}
        return await new Promise((resolve) => {{
            navigator.geolocation.getCurrentPosition(
                (p) => resolve({{
                    latitude: p.coords.latitude,
                    longitude: p.coords.longitude,
                    accuracy_m: p.coords.accuracy,
                }}),
                (e) => resolve({{ error: ["", "denied", "unavailable", "timeout"][e.code] || "unavailable" }}),
                {{ enableHighAccuracy: true, timeout: {POSITION_TIMEOUT_MS}, maximumAge: 120000 }},
            );
        }});
        "#
    );
    let answer = document::eval(&script)
        .await
        .map_err(|_| "本平台未提供定位".to_owned())?;
    position_from(answer)
}

/// What the position script answers: a fix or the reason there is none.
#[derive(Deserialize)]
#[serde(untagged)]
enum PositionAnswer {
    Fix {
        latitude: f64,
        longitude: f64,
        accuracy_m: Option<f64>,
    },
    Failed {
        error: String,
    },
}

fn position_from(answer: serde_json::Value) -> Result<Position, String> {
    match serde_json::from_value(answer) {
        Ok(PositionAnswer::Fix {
            latitude,
            longitude,
            accuracy_m,
        }) => Ok(Position {
            latitude,
            longitude,
            accuracy_m: accuracy_m.map(|a| a as f32),
        }),
        Ok(PositionAnswer::Failed { error }) => Err(match error.as_str() {
            "denied" => "未获得定位权限".to_owned(),
            "timeout" => "定位超时，请到开阔处重试".to_owned(),
            _ => "本机无法定位".to_owned(),
        }),
        Err(_) => Err("定位结果无法识别".to_owned()),
    }
}

/// A photo read from a file input: its file name and bytes.
pub struct PickedFile {
    pub name: String,
    pub bytes: Result<Vec<u8>, String>,
}

/// The files picked in a change event of a file input. The desktop and
/// phone webviews hand the app the files themselves.
#[cfg(not(feature = "liveview"))]
pub async fn picked_files(event: &FormEvent, _input_id: &str) -> Vec<PickedFile> {
    let mut picked = Vec::new();
    for file in event.files() {
        let bytes = file
            .read_bytes()
            .await
            .map(|b| b.to_vec())
            .map_err(|_| format!("无法读取照片 {}", file.name()));
        picked.push(PickedFile {
            name: file.name(),
            bytes,
        });
    }
    picked
}

/// The files picked in a change event of a file input. A liveview page
/// sends only the files' names with the event, so the page is asked for
/// their contents, read in the browser and sent back in base64.
#[cfg(feature = "liveview")]
pub async fn picked_files(_event: &FormEvent, input_id: &str) -> Vec<PickedFile> {
    // The id is the app's own constant; it is never user text.
    let script = format!(
        r#"
        const input = document.getElementById({input_id:?});
        const picked = [];
        for (const file of (input && input.files) || []) {{
            const bytes = new Uint8Array(await file.arrayBuffer());
            let binary = "";
            for (let i = 0; i < bytes.length; i += 0x8000) {{
                binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
            }}
            picked.push({{ name: file.name, data: btoa(binary) }});
        }}
        return picked;
        "#
    );
    #[derive(Deserialize)]
    struct Sent {
        name: String,
        data: String,
    }
    let answer = match document::eval(&script).await {
        Ok(answer) => answer,
        Err(_) => {
            return vec![PickedFile {
                name: String::new(),
                bytes: Err("无法读取所选照片".to_owned()),
            }];
        }
    };
    use base64::Engine as _;
    let sent: Vec<Sent> = serde_json::from_value(answer).unwrap_or_default();
    sent.into_iter()
        .map(|file| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(file.data.as_bytes())
                .map_err(|_| format!("无法读取照片 {}", file.name));
            PickedFile {
                name: file.name,
                bytes,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_fix_becomes_a_position() {
        let p =
            position_from(json!({ "latitude": 26.58, "longitude": 106.71, "accuracy_m": 12.5 }))
                .unwrap();
        assert_eq!(
            (p.latitude, p.longitude, p.accuracy_m),
            (26.58, 106.71, Some(12.5))
        );
    }

    #[test]
    fn each_failure_has_its_own_reason() {
        let reason = |code| position_from(json!({ "error": code })).unwrap_err();
        assert_eq!(reason("denied"), "未获得定位权限");
        assert_eq!(reason("timeout"), "定位超时，请到开阔处重试");
        assert_eq!(reason("unavailable"), "本机无法定位");
        assert_eq!(position_from(json!(null)).unwrap_err(), "定位结果无法识别");
    }
}
