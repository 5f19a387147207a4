//! The embeddable verifier: mounts the widget into every `[data-receipt-verifier]` element.

fn main() {
    trust_center::embed::mount_all();
}
