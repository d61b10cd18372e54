//! A small horizontal bar chart drawn as inline SVG.

use dioxus::prelude::*;

/// Height of one bar and its gap, in SVG units; large enough for a 14 px
/// label beside each bar.
const BAR_HEIGHT: f64 = 28.0;

/// Width kept for the labels on the left.
const LABEL_WIDTH: f64 = 90.0;

/// Total drawing width; the SVG scales to its container.
const WIDTH: f64 = 440.0;

/// One bar per `(label, value)`, scaled to the largest value.
#[component]
pub fn BarChart(title: String, bars: Vec<(String, f64)>, unit: String) -> Element {
    let max = bars
        .iter()
        .map(|(_, v)| *v)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let height = BAR_HEIGHT * bars.len() as f64 + 4.0;
    let scale = (WIDTH - LABEL_WIDTH - 50.0) / max;
    rsx! {
        svg {
            class: "bars",
            role: "img",
            "aria-label": "{title}",
            width: "100%",
            view_box: "0 0 {WIDTH} {height}",
            for (i, (label, value)) in bars.into_iter().enumerate() {
                g { key: "{i}",
                    text { x: "0", y: "{BAR_HEIGHT * i as f64 + 19.0}", "{label}" }
                    rect {
                        x: "{LABEL_WIDTH}",
                        y: "{BAR_HEIGHT * i as f64 + 4.0}",
                        width: "{value * scale}",
                        height: "{BAR_HEIGHT - 8.0}",
                        fill: "#0b5cad",
                    }
                    text {
                        x: "{LABEL_WIDTH + value * scale + 6.0}",
                        y: "{BAR_HEIGHT * i as f64 + 19.0}",
                        "{value}{unit}"
                    }
                }
            }
        }
    }
}
